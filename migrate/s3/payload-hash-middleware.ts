import type { S3Client } from '@aws-sdk/client-s3';

/**
 * A single PUT already carries the body's SHA-256 as `ChecksumSHA256`; SigV4 signs that same digest
 * (hex) as `x-amz-content-sha256`. Handing it over saves the signer a second pass over every byte.
 */
export function reuseBodyChecksumForSigning(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { ChecksumSHA256?: string; Body?: unknown };
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (input.ChecksumSHA256 && Buffer.isBuffer(input.Body) && request?.headers && !input.ChecksumSHA256.includes('-')) {
        request.headers['x-amz-content-sha256'] = Buffer.from(input.ChecksumSHA256, 'base64').toString('hex');
      }
      return next(args);
    },
    { step: 'build', name: 'reuseBodyChecksumForSigning' },
  );
}
