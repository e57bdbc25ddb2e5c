import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { Deps } from '../deps.ts';
import { KeyValueStoreClient } from '../infra/kvs/key-value-store.ts';
import { startRoomPublisher, type RoomPublisher } from './publish-room-records.ts';

/** The publisher when WAITING_ROOM_KVS_ARN names a KeyValueStore (on AWS, with the instance role's credentials); none locally. */
export function startConfiguredPublisher(deps: Deps): RoomPublisher | undefined {
  const { WAITING_ROOM_KVS_ARN: arn, WAITING_ROOM_KVS_ENDPOINT: endpoint, WAITING_ROOM_PUBLISH_SECONDS: seconds } = deps.config;
  if (!arn) return undefined;
  const kvs = new KeyValueStoreClient({ arn, ...(endpoint ? { endpoint } : {}), credentials: defaultProvider() });
  return startRoomPublisher(deps, kvs, seconds * 1000);
}
