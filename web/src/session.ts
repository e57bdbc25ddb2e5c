import { api } from './api.ts';
import type { User } from './types.ts';

type Listener = (user: User | null) => void;

let current: User | null = null;
const listeners = new Set<Listener>();

/** The logged-in buyer, as the API's session cookie says (GET /api/session). */
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
    session.set(await api.session());
  },
};
