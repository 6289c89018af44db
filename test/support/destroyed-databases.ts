// Runs after every test file (vitest setupFiles): each test database the file created must have
// been destroyed. close() alone leaves a PostgreSQL schema or a SQLite file behind, and CI runs
// against the PostgreSQL a session leaves, so what one run forgets the next one finds.
import { afterAll } from 'vitest';
import { openDatabases } from './open-databases.js';

afterAll(() => {
  const left = [...openDatabases];
  if (left.length) throw new Error(`test databases created and never destroyed (destroy(), not close()): ${left.join(', ')}`);
});
