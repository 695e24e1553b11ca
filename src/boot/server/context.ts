/**
 * What every route handler gets besides the request. Its own module, so that the route table
 * (routes.ts) and the admin API it dispatches to (admin.ts) can share it without importing each other.
 */
import type { BootService } from './service';

/** What the route handlers need besides the request. */
export interface RouteContext {
  service: BootService;
  assetsDir?: string;
  adminToken?: string;
  maxBodyBytes: number;
  /** Logs with a timestamp: boot events (entry, machine, source), never bodies or tokens. */
  log: (line: string) => void;
  logRequests: boolean;
}
