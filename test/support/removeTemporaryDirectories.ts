import { afterAll } from 'vitest';
import { removeTemporaryDirectories } from '../helpers/temporaryDirectories.js';

// A setup file runs once per test file, so the folders a file made are removed when it ends.
afterAll(() => removeTemporaryDirectories());
