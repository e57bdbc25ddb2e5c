import type { ApiErrorBody } from './types.ts';

/** What the page says for an error; `seatNames` turns seat ids into "Floor row B seat 4". */
export interface MessageContext {
  seatNames?: (seatIds: number[]) => string;
  /** "Retry-After" of the answer, in seconds, when the API sent one. */
  retryAfterSeconds?: number;
}

/** Codes the browser itself produces when no API answer arrived. */
export const networkErrorCode = 'network_error';

type Describe = (error: ApiErrorBody, context: MessageContext) => string;

const seatIdsOf = (error: ApiErrorBody): number[] =>
  Array.isArray(error.details?.seatIds) ? (error.details.seatIds as number[]) : [];

const seatsText = (error: ApiErrorBody, context: MessageContext): string => {
  const ids = seatIdsOf(error);
  if (ids.length === 0) return 'Some of your seats';
  return context.seatNames ? context.seatNames(ids) : `${ids.length} of your seats`;
};

const waitText = (seconds: number | undefined): string =>
  seconds && seconds > 0 ? `in ${seconds} second${seconds === 1 ? '' : 's'}` : 'in a few seconds';

/** "in 40 seconds", or "in 3 minutes" once the wait is two minutes or more. */
const longWaitText = (seconds: number | undefined): string =>
  seconds && seconds >= 120 ? `in ${Math.ceil(seconds / 60)} minutes` : waitText(seconds);

const retryAfterOf = (error: ApiErrorBody, context: MessageContext): number | undefined => {
  const seconds = Number(error.details?.retryAfterSeconds ?? context.retryAfterSeconds);
  return Number.isFinite(seconds) ? seconds : undefined;
};

/** A human sentence for every error code the API can answer with (app/errors.ts), plus network failures. */
export const errorMessages: Record<string, Describe> = {
  seats_unavailable: (error, context) =>
    `${seatsText(error, context)} ${seatIdsOf(error).length === 1 ? 'was' : 'were'} just taken by someone else. ` +
    'The seat map is updated: please pick other seats.',
  unknown_seats: () => 'Some of the chosen seats are not part of this event. The seat map has been reloaded.',
  seat_limit_exceeded: (error) => {
    const limit = Number(error.details?.limit);
    return Number.isFinite(limit) && limit > 0
      ? `You can hold or buy at most ${limit} seats for this event, counting seats you already bought.`
      : 'You have reached the number of seats one buyer may hold or buy for this event.';
  },
  not_on_sale: (error) => {
    const onSaleAt = typeof error.details?.onSaleAt === 'string' ? new Date(error.details.onSaleAt) : null;
    return onSaleAt && !Number.isNaN(onSaleAt.getTime())
      ? `Tickets for this event go on sale on ${onSaleAt.toLocaleString('en-US', { dateStyle: 'long', timeStyle: 'short' })}.`
      : 'Tickets for this event are not on sale yet.';
  },
  hold_expired: () => 'Your hold expired and the seats were released. Please pick your seats again.',
  hold_purchased: () => 'These seats are already bought. You will find them under My tickets.',
  idempotency_key_required: () => 'The purchase request was incomplete. Please press Buy again.',
  idempotency_key_reused: () =>
    'This purchase attempt clashed with an earlier one, so nothing was charged. Please press Buy again.',
  request_in_progress: () =>
    'Your purchase is still being processed. Wait a moment and press Buy again: you will not be charged twice.',
  rate_limited: (error, context) =>
    `Too many requests right now. Please wait and try again ${longWaitText(retryAfterOf(error, context))}.`,
  service_unavailable: (_error, context) =>
    `The ticket service is busy or briefly unavailable. Nothing was lost: please try again ${waitText(context.retryAfterSeconds)}.`,
  unauthenticated: () => 'Please log in to continue.',
  invalid_credentials: () => 'That email and password do not match an account. Check them and try again.',
  email_taken: () => 'An account with this email already exists. Log in instead, or use another email.',
  login_throttled: (error, context) =>
    'There were too many failed attempts to log in to this account, so logging in is paused for a while. ' +
    `Please try again ${longWaitText(retryAfterOf(error, context))}. A browser you logged in with before can still log in.`,
  email_invalid: () => 'That does not look like an email address. Please check it, for example name@example.com.',
  name_invalid: (error) =>
    error.details?.reason === 'too_long'
      ? 'That name is too long. Please shorten it.'
      : 'Please enter a name with visible letters. Invisible, control and text-direction characters are not allowed.',
  password_invalid: () =>
    'The password contains characters that cannot be typed, such as tabs or line breaks. Please choose another password.',
  password_common: () =>
    'That password is one of the most common ones and easy to guess. Please choose another: a few unrelated words make a good password.',
  validation_failed: (error) => {
    const issues = Array.isArray(error.details?.issues) ? (error.details.issues as { path?: unknown; message?: unknown }[]) : [];
    const listed = issues
      .map((issue) => {
        const field = Array.isArray(issue.path) ? issue.path.join('.') : String(issue.path ?? '');
        return field ? `${field}: ${String(issue.message)}` : String(issue.message);
      })
      .join('; ');
    return listed ? `Please check the form. ${listed}.` : 'Please check the form and try again.';
  },
  csrf_rejected: () => 'The request was blocked because it came from another website. Reload this page and try again.',
  forbidden: () => 'This account is not allowed to do that.',
  queue_required: () => 'This on-sale has a waiting room. Your turn has ended or not come yet: taking you to the queue.',
  not_found: () => 'We could not find that. It may have been removed; go back to the events list.',
  invalid_json: () => 'The page sent a request the service could not read. Reload the page and try again.',
  payload_too_large: () => 'That was too much data to send at once. Try again with less.',
  unsupported_media_type: () => 'The page sent data in a format the service does not accept. Reload the page and try again.',
  bad_request: () => 'The service could not understand the request. Reload the page and try again.',
  method_not_allowed: () => 'That action is not available here. Reload the page and try again.',
  internal_error: () => 'Something went wrong on our side. Nothing was charged; please try again in a moment.',
  [networkErrorCode]: () => 'Cannot reach the ticket service. Check your connection and try again.',
};

/** The message for an error; an unknown code still gets a sentence, never a raw code. */
export function humanMessage(error: ApiErrorBody, context: MessageContext = {}): string {
  const describe = errorMessages[error.code];
  return describe ? describe(error, context) : 'Something unexpected happened. Please try again.';
}
