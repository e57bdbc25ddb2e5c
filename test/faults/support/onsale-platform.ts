import { createTestPlatform, organizer, type TestPlatform } from '../../support/api.ts';
import { createEvent, HttpClient, logIn } from '../../support/http-client.ts';
import { startApiProcess, type ApiProcess } from './api-process.ts';
import { insertBuyers, logInAll, type Buyer } from './buyers.ts';

export interface OnsalePlatform {
  platform: TestPlatform;
  processes: ApiProcess[];
  eventId: number;
  seatIds: number[];
  buyers: Buyer[];
  stop(): Promise<void>;
}

/**
 * A database and Redis key prefix of the test's own, `instances` separate `bin/api` processes on them,
 * an event on sale now, and `buyers` logged-in buyers.
 */
export async function startOnsale(options: {
  instances: number;
  buyers: number;
  sections: { name: string; rows: number; seatsPerRow: number; priceCents: number }[];
  env?: Record<string, string>;
}): Promise<OnsalePlatform> {
  const platform = await createTestPlatform(options.env);
  const processes: ApiProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((process) => process.kill('SIGKILL')));
    await platform.stop();
  };
  try {
    processes.push(...(await Promise.all(Array.from({ length: options.instances }, () => startApiProcess(platform.env)))));
    const admin = new HttpClient(processes[0]!.url);
    await logIn(admin, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(admin, options.sections);
    const buyers = await insertBuyers(platform.database.url, options.buyers);
    await logInAll(buyers, processes[0]!.url);
    return { platform, processes, eventId, seatIds, buyers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
