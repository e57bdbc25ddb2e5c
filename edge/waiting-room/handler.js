// CloudFront Function (cloudfront-js-2.0, viewer-request) of the waiting room. build.ts prepends the core
// (core.ts without its types) after the first two lines, so this file uses its functions as globals.
import cf from 'cloudfront';
const crypto = require('crypto');
const kvs = cf.kvs();
/*__WAITING_ROOM_CORE__*/

function hmac(key, data) {
  return crypto.createHmac('sha256', key).update(data).digest('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function kvsJson(key) {
  try {
    return await kvs.get(key, { format: 'json' });
  } catch (e) {
    return null;
  }
}

function answer(event, status, body, retryAfter) {
  const headers = {
    'content-type': { value: 'application/json; charset=utf-8' },
    'cache-control': { value: 'no-store' },
    'x-content-type-options': { value: 'nosniff' },
    'x-request-id': { value: event.context.requestId },
  };
  if (retryAfter) headers['retry-after'] = { value: String(retryAfter) };
  return { statusCode: status, statusDescription: status === 200 ? 'OK' : 'Forbidden', headers: headers, body: { encoding: 'text', data: body } };
}

// Inventory requests without a valid admission end here (403 queue_required); status polls of buyers still
// waiting are answered here from the published watermark. Everything else, and whatever the function cannot
// decide (no record, no keys, no place cookie, the turn has come), goes to the origin, which always enforces.
async function handler(event) {
  const request = event.request;
  const gated = gatedRequest(request.method, request.uri);
  if (!gated) return request;
  const room = await kvsJson('room.' + gated.eventId);
  const now = Date.now();
  if (!roomActive(room, now)) return request;
  const keys = await kvsJson('room.keys');
  if (!keys || !keys.length) return request;
  const cookies = request.cookies || {};
  if (gated.kind === 'inventory') {
    const admission = cookies[admissionCookieName(gated.eventId)];
    if (readAdmission(hmac, keys, admission && admission.value, gated.eventId, now)) return request;
    return answer(event, 403, queueRequiredBody(gated.eventId), 0);
  }
  const placeCookie = cookies[placeCookieName(gated.eventId)];
  const place = readPlace(hmac, keys, placeCookie && placeCookie.value, gated.eventId, now);
  if (!place || place.score < room.s) return request;
  const view = waitingView(room, gated.eventId, place.score, estimateAhead(room, place.score), now);
  return answer(event, 200, JSON.stringify({ queue: view }), view.pollAfterSeconds);
}
