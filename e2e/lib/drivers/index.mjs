// Every browser the journeys run in (see README.md here for the interface).
import { chromium } from './chromium.mjs';
import { firefox } from './firefox.mjs';

/** `JOURNEY_BROWSERS=firefox` (comma-separated) runs a subset. */
const wanted = (process.env.JOURNEY_BROWSERS ?? 'chromium,firefox').split(',').map((name) => name.trim());
export const DRIVERS = [chromium, firefox].filter((driver) => wanted.includes(driver.name));
