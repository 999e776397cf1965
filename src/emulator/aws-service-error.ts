/** An error the emulator answers with, shaped like CodePipeline's awsJson1_1 errors. */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** 400 for client errors and throttling (as AWS JSON services do), 5xx for server faults. */
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }

  toBody(): { __type: string; message: string } {
    return { __type: this.type, message: this.message };
  }
}

export const validation = (message: string): AwsServiceError => new AwsServiceError("ValidationException", message);

export const executionNotFound = (pipeline: string, id: string): AwsServiceError =>
  new AwsServiceError("PipelineExecutionNotFoundException", `Pipeline execution ${id} not found in pipeline ${pipeline}`);
