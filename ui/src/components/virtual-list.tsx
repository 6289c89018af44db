// A long list drawn a screenful at a time (@tanstack/react-virtual): 10,000 rows stay fast.
import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useRef } from 'react';

export function VirtualList<T>({
  items,
  rowHeight = 34,
  height = 480,
  label,
  render,
  onEnd,
}: {
  items: readonly T[];
  rowHeight?: number;
  height?: number;
  label: string;
  render: (item: T, index: number) => ReactNode;
  /** Called when the last rows are drawn: the place to fetch the next page. */
  onEnd?: () => void;
}) {
  const parent = useRef<HTMLElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parent.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows[rows.length - 1];
  if (onEnd && last && last.index >= items.length - 5) queueMicrotask(onEnd);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the scrolling region must be reachable by keyboard
    <section ref={parent} className="virtual" style={{ height, overflow: 'auto' }} aria-label={label} tabIndex={0}>
      <ul style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => (
          <li
            key={row.key}
            style={{ position: 'absolute', top: 0, left: 0, right: 0, height: row.size, transform: `translateY(${row.start}px)` }}
          >
            {render(items[row.index] as T, row.index)}
          </li>
        ))}
      </ul>
    </section>
  );
}
