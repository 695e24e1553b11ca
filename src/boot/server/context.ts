/**
 * What every route handler gets besides the request. Its own module, so that the route table
 * (routes.ts) and the handlers it dispatches to (admin.ts, ui.ts) can share it without importing each other.
 */
import type { LiveView } from './live';
import type { MachineQuery } from './catalog';
import type { MachineId } from './machines';
import type { BootService } from './service';

/** What the route handlers need besides the request. */
export interface RouteContext {
  service: BootService;
  assetsDir?: string;
  adminToken?: string;
  /** Opens the read-only live view (`/ui`), as the admin token does too. */
  viewerToken?: string;
  live: LiveView;
  maxBodyBytes: number;
  /** Logs with a timestamp: boot events (entry, machine, source), never bodies or tokens. */
  log: (line: string) => void;
  logRequests: boolean;
}

/** What a route did, for the request's log line and metrics. */
export interface Outcome {
  /** Route name in metrics. */
  route: string;
  /** The event logged: `ipxe`, `local_boot`, `ignition`, ... */
  event?: string;
  entry?: string;
  q?: MachineQuery;
  /** The machine a boot answer was recorded for (the live view keys it the same way). */
  id?: MachineId;
  /** More `key=value` words for the log line. */
  detail?: string;
}
