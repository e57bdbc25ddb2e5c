// One API instance, configured only from the environment: what every EC2 instance runs.
import { ConfigError, loadConfig } from '../app/config.ts';
import { connect } from '../app/connect.ts';
import { createLogger } from '../app/logger.ts';
import { startApi } from '../app/server.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`ticketkit-api: ${error.message}`);
  process.exit(2);
}

const logger = createLogger(config.LOG_LEVEL);
const deps = connect(config, logger);
const api = await startApi(deps, { port: config.PORT }).catch((error: Error) => {
  console.error(`ticketkit-api: cannot listen on port ${config.PORT}: ${error.message}`);
  process.exit(2);
});
logger.info({ url: api.url }, 'listening');

api.ready.catch((error: Error) => {
  logger.fatal({ err: error }, 'start-up failed');
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    api.stop().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
