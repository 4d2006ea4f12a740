import { isGatewayError, type GatewayError } from '../../../contracts/errors/index.js';

/** Runs `work` and returns the GatewayError it throws (fails the test when it succeeds or throws anything else). */
export async function failureOf(work: Promise<unknown>): Promise<GatewayError> {
  try {
    await work;
  } catch (error) {
    if (isGatewayError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}
