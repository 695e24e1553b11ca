/**
 * The chaos suite (issue 9): engine faults, interrupted runs, restarts and hostile input. One
 * file so the scenarios run one after the other and the summary at the end covers all of them.
 * Sizes come from the environment (see SIZES in support.ts); CI uses the defaults.
 */
import { bootLoadScenarios } from './boot-load';
import { bootRestartScenarios } from './boot-restart';
import { bootWriterScenarios } from './boot-writers';
import { bootInputScenarios, bootLogScenarios, ENTRY_TOKENS } from './boot-input';
import { engineRedirectScenarios } from './engine-redirects';
import { engineResponseScenarios } from './engine-responses';
import { providerFaultScenarios } from './provider-faults';
import { providerInterruptScenarios } from './provider-interrupt';
import { providerInputScenarios } from './provider-input';
import { reportSummary } from './support';

const bootLogs: string[] = [];

afterAll(() => reportSummary());

bootLoadScenarios(bootLogs);
bootRestartScenarios(bootLogs);
bootInputScenarios(bootLogs);
engineResponseScenarios();
engineRedirectScenarios();
providerFaultScenarios();
providerInterruptScenarios();
providerInputScenarios();
bootWriterScenarios();
bootLogScenarios(bootLogs, () => ['chaos-admin-token', ...ENTRY_TOKENS]);
