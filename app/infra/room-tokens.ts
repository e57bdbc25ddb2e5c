import { createHmac } from 'node:crypto';
import {
  readAdmission,
  readPlace,
  signAdmission,
  signPlace,
  type Admission,
  type Hmac,
  type Place,
} from '../../shared/waiting-room.ts';

const hmac: Hmac = (key, data) => createHmac('sha256', key).update(data).digest('base64url');

/**
 * Signs and checks the waiting room's tokens (shared/waiting-room.ts) with HMAC-SHA256: the first key signs,
 * any key verifies, so keys rotate. The CloudFront Function verifies with the same keys, which the publisher
 * writes to the KeyValueStore; without WAITING_ROOM_TOKEN_KEYS they are derived from the session keys, so a
 * published key never reveals a session key.
 */
export class RoomTokens {
  constructor(readonly keys: string[]) {
    if (keys.length === 0) throw new Error('at least one waiting-room token key is required');
  }

  static derivedFrom(sessionKeys: readonly string[]): RoomTokens {
    return new RoomTokens(sessionKeys.map((key) => hmac(key, 'ticketkit waiting-room tokens v1')));
  }

  place(place: Place): string {
    return signPlace(hmac, this.keys[0]!, place);
  }

  admission(admission: Admission): string {
    return signAdmission(hmac, this.keys[0]!, admission);
  }

  readPlace(token: string | undefined, eventId: number, now = Date.now()): Place | null {
    return readPlace(hmac, this.keys, token, eventId, now);
  }

  readAdmission(token: string | undefined, eventId: number, now = Date.now()): Admission | null {
    return readAdmission(hmac, this.keys, token, eventId, now);
  }
}
