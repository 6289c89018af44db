// The per-request loaders: created fresh for every request, so nothing is cached across them.
import { SelectionLoaders } from './selection-loader.js';

export interface Loaders {
  selections: SelectionLoaders;
}

export function createLoaders(): Loaders {
  return { selections: new SelectionLoaders() };
}
