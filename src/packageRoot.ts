import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own directory: relative paths in the shipped config resolve here, not against the cwd. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
