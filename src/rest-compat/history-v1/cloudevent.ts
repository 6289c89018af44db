// Change-log events as CloudEvents 1.0 (structured JSON), and the `type` filter read back.

import { ValidationError } from '../../domain/errors.js';
import type { ChangeEvent } from '../../generated/sqlite/client.js';
import { Prisma } from '../../generated/sqlite/client.js';

const TYPE_PREFIX = 'org.openchami.inventory.';
const SOURCE_PREFIX = '/inventory-gateway/';

const MODEL_BY_LOWERCASE = new Map(Object.values(Prisma.ModelName).map((name) => [name.toLowerCase(), name]));

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: { before: unknown; after: unknown; actor: string | null; requestId: string | null };
}

export function toCloudEvent(event: ChangeEvent): CloudEvent {
  return {
    specversion: '1.0',
    id: event.eventId,
    source: `${SOURCE_PREFIX}${event.source}`,
    type: `${TYPE_PREFIX}${event.entityType.toLowerCase()}.${event.action}`,
    subject: event.entityId,
    time: event.occurredAt.toISOString(),
    datacontenttype: 'application/json',
    data: { before: event.before ?? null, after: event.after ?? null, actor: event.actor, requestId: event.requestId },
  };
}

/** `org.openchami.inventory.<entity>[.<action>]` → the entity type (and action) to filter on. */
export function parseEventType(type: string): { entityType: string; action?: string } {
  const [entity, action, ...rest] = type.startsWith(TYPE_PREFIX) ? type.slice(TYPE_PREFIX.length).split('.') : [];
  const entityType = entity ? MODEL_BY_LOWERCASE.get(entity) : undefined;
  if (!entityType || rest.length || (action !== undefined && !/^[a-z_]+$/.test(action))) {
    throw new ValidationError(
      'type',
      `must be ${TYPE_PREFIX}<entity>[.<action>], e.g. ${TYPE_PREFIX}device.created (got ${JSON.stringify(type)})`,
    );
  }
  return { entityType, action };
}
