import { api, ApiError } from './api.ts';
import type { User } from './types.ts';

type Listener = (user: User | null) => void;

let current: User | null = null;
const listeners = new Set<Listener>();

/** The logged-in buyer, as the API's session cookie says (GET /api/me). */
export const session = {
  get user(): User | null {
    return current;
  },
  set(user: User | null): void {
    current = user;
    for (const listener of listeners) listener(user);
  },
  onChange(listener: Listener): void {
    listeners.add(listener);
  },
  async load(): Promise<void> {
    try {
      session.set(await api.me());
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unauthenticated') session.set(null);
      else throw error;
    }
  },
};
