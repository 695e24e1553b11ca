/**
 * The mark of this test run (set by test/support/processes.js in globalSetup): spawn sites that
 * build a child's environment from scratch add it, so a child that outlives the suite is found.
 */
export function testRunEnv(): Record<string, string> {
  const id = process.env.OVIRT_CDKTF_TEST_RUN;
  return id ? { OVIRT_CDKTF_TEST_RUN: id } : {};
}
