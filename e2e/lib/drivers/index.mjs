// Every browser the journeys run in (see README.md here for the interface).
import { chromium } from './chromium.mjs';
import { firefox } from './firefox.mjs';
import { webkit } from './webkit.mjs';

/** `JOURNEY_BROWSERS=firefox` (comma-separated) runs a subset. WebKit runs the core journey only (webkit.mjs). */
const wanted = (process.env.JOURNEY_BROWSERS ?? 'chromium,firefox,webkit').split(',').map((name) => name.trim());
export const DRIVERS = [chromium, firefox, webkit].filter((driver) => wanted.includes(driver.name));
