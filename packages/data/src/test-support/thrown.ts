import { DataError } from '../data-error.js';

/** The DataError `f` throws; fails the test if it throws nothing or something else. */
export function thrown(f: () => unknown): DataError {
  try {
    f();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

/** The DataError the promise rejects with; fails the test if it resolves or rejects with something else. */
export async function rejected(p: Promise<unknown>): Promise<DataError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError, the promise resolved');
}
