import { expect } from "@jest/globals";
import { PipelineError } from "../../src/core/ports/pipeline.js";

/** The PipelineError a call rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<PipelineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PipelineError);
  return error as PipelineError;
}
