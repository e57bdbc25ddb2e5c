/** A fetch-based client that keeps cookies, like one browser. */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie headers of the last response. */
  lastSetCookie: string[] = [];

  constructor(public baseUrl: string) {}

  async request(
    method: string,
    path: string,
    options: { json?: unknown; body?: RequestInit['body']; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const headers: Record<string, string> = { ...options.headers };
    if (options.json !== undefined) headers['content-type'] ??= 'application/json';
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
      redirect: 'manual',
      ...(options.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    this.lastSetCookie = response.headers.getSetCookie();
    for (const cookie of this.lastSetCookie) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, headers: response.headers };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  post(path: string, json?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, { json, headers });
  }
}

let counter = 0;

/** Registers a new buyer and logs them in; returns the logged-in client and the user. */
export async function newBuyer(baseUrl: string, label = 'buyer'): Promise<{ client: HttpClient; userId: number; email: string }> {
  const client = new HttpClient(baseUrl);
  const email = `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}@test.local`;
  const password = 'correct horse battery';
  const registered = await client.post('/api/auth/register', { email, password, name: label });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${JSON.stringify(registered.body)}`);
  await logIn(client, email, password);
  return { client, userId: registered.body.user.id, email };
}

export async function logIn(client: HttpClient, email: string, password: string): Promise<void> {
  const response = await client.post('/api/auth/login', { email, password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Creates an event as the organizer; returns its id and seat ids in order. */
export async function createEvent(
  organizerClient: HttpClient,
  sections = [{ name: 'Floor', rows: 4, seatsPerRow: 10, priceCents: 5_000 }],
  onSaleAt = new Date(Date.now() - 60_000),
): Promise<{ eventId: number; seatIds: number[] }> {
  const response = await organizerClient.post('/api/admin/events', {
    name: 'Test event',
    venue: 'Test venue',
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    onSaleAt: onSaleAt.toISOString(),
    sections,
  });
  if (response.status !== 201) throw new Error(`create event failed: ${response.status} ${JSON.stringify(response.body)}`);
  const eventId = response.body.event.id as number;
  const seats = await organizerClient.get(`/api/events/${eventId}/seats`);
  return { eventId, seatIds: seats.body.seats.map((seat: { id: number }) => seat.id) };
}

/** An on-sale event behind an open waiting room that admits at once (6,000 a minute, 100 at a time): its id. */
export async function createEventWithOpenRoom(organizerClient: HttpClient): Promise<number> {
  const response = await organizerClient.post('/api/admin/events', {
    name: 'Famous artist',
    venue: 'Arena',
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    onSaleAt: new Date(Date.now() - 60_000).toISOString(),
    sections: [{ name: 'Floor', rows: 1, seatsPerRow: 10, priceCents: 5_000 }],
    waitingRoom: { enabled: true, opensAt: new Date(Date.now() - 120_000).toISOString(), admissionRatePerMinute: 6_000, maxActive: 100, admissionTtlSeconds: 60 },
  });
  if (response.status !== 201) throw new Error(`create event with a waiting room failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.event.id as number;
}
