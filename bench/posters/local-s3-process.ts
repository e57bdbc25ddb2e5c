// A local S3 server in its own process for the benchmark, so it does not share a core with the tool
// being measured. Run with --openssl-legacy-provider: s3rver's listing token past 1,000 keys needs it.
import { startLocalS3Server } from '../../app/infra/s3/local-s3-server.ts';

const directory = process.argv[2];
const server = await startLocalS3Server(directory ? { directory } : {});
process.stdout.write(`${server.endpoint}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
