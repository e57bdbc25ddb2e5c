// The parts of a CloudFormation custom resource request and response this kit's handlers use
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html); every
// resource property arrives as a string, or a list of strings.

export interface CustomResourceEvent<Properties> {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  /** Absent on Create. */
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Properties & { readonly ServiceToken: string };
}

export interface CustomResourceResult {
  readonly physicalResourceId: string;
  /** Attributes readable with Fn::GetAtt. */
  readonly data?: Readonly<Record<string, string>>;
}

/** What CloudFormation waits for at `ResponseURL` (a pre-signed S3 URL). */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

/** The response for a request, from its result or its failure (the reason CloudFormation shows in its events). */
export function responseFor<P>(event: CustomResourceEvent<P>, outcome: { result: CustomResourceResult } | { error: string }): CustomResourceResponse {
  const common = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  if ('result' in outcome) return { ...common, Status: 'SUCCESS', PhysicalResourceId: outcome.result.physicalResourceId, Data: outcome.result.data };
  // A failed Create has no physical id yet; CloudFormation then deletes the resource with this one.
  return { ...common, Status: 'FAILED', Reason: outcome.error.slice(0, 1_000), PhysicalResourceId: event.PhysicalResourceId ?? `failed-${event.RequestId}` };
}

/** PUTs the response to the pre-signed URL; S3 refuses a content type the URL was not signed with, hence the empty one. */
export async function sendResponse(url: string, response: CustomResourceResponse, fetchImpl: typeof fetch = fetch): Promise<void> {
  const body = JSON.stringify(response);
  const answer = await fetchImpl(url, { method: 'PUT', body, headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) } });
  if (!answer.ok) throw new Error(`the response URL answered ${answer.status}`);
}
