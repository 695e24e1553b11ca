/** Errors of the engine simulator: engine faults (rendered as `<fault>`) and the simulator's own. */

/** Codes for the simulator's own failures (start-up, configuration). */
export type SimErrorCode = 'BAD_FAULT_SPEC' | 'BAD_OPTIONS' | 'CERT_GENERATION' | 'STATE_FILE';

/** A failure of the simulator itself (not an engine answer). */
export class SimError extends Error {
  constructor(
    readonly code: SimErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

/** An engine answer with an error status: 404 has an empty body, others a `<fault>`. */
export class EngineFault extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'EngineFault';
  }
}

/** A validation failure as the engine renders it: reason "Operation Failed", detail "[message]". */
export function opFailed(status: number, message: string): EngineFault {
  return new EngineFault(status, 'Operation Failed', `[${message}]`);
}

/** 404 with an empty body, as the engine answers for an unknown id. */
export function notFound(): EngineFault {
  return new EngineFault(404, '');
}

/** 400 "Incomplete parameters" for a missing mandatory field, e.g. `Vm [name] required for add`. */
export function incomplete(type: string, fields: string, verb = 'add'): EngineFault {
  return new EngineFault(400, 'Incomplete parameters', `${type} [${fields}] required for ${verb}`);
}

/** 400 "Request syntactically incorrect." for a body that does not parse or has the wrong root. */
export function syntax(servicePath: string): EngineFault {
  return new EngineFault(
    400,
    'Request syntactically incorrect.',
    `For correct usage, see: https://localhost/ovirt-engine/apidoc#services/${servicePath}`,
  );
}

/** The engine's "... is locked" texts, by kind of object and action verb. */
export function lockedFault(kind: string, action: string): EngineFault {
  if (kind === 'vms') return opFailed(409, `Cannot ${action} VM: VM is locked. Please try again in a few minutes.`);
  if (kind === 'disks') return opFailed(409, `Cannot ${action} Virtual Disk: Disk is locked. Please try again later.`);
  const type = kind === 'templates' ? 'Template' : 'object';
  return opFailed(409, `Cannot ${action} ${type}. Related operation is currently in progress. Please try again later.`);
}
