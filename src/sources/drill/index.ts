// The tabletop drill source: scenarios (YAML under assets/scenarios), a simulated clock and the
// runner that plays a scenario into the store through a DrillSink. Plain TypeScript, no store or
// view imports: the composition root adapts the store's commands to the sink.

export {
  DRILL_SPEEDS,
  MAX_SPEED,
  SimClock,
  realScheduler,
  stepSpeed,
  type Scheduler,
  type SimClockOptions,
} from './clock.js';
export { isoUtc, type Scenario } from './compile.js';
export {
  deliveredItemId,
  detectionItemId,
  eventItemId,
  injectItemId,
  type DetectionData,
  type DrillItem,
} from './items.js';
export {
  DrillRunner,
  TICK_MS,
  type DrillRunnerOptions,
  type DrillSink,
  type DrillState,
  type DrillStatus,
} from './runner.js';
export {
  listScenarios,
  loadScenario,
  packageRoot,
  ScenarioError,
  scenariosDir,
  type ScenarioSummary,
} from './scenario.js';
