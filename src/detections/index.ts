// Detection engine: rules over normalised IncidentEvents → 'detection.raised' data.

export { createDetector, type Detector, type DetectorOptions } from './engine.js';
export { ALL_RULES, describeRules } from './rules.js';
export { getObjectVolumeRule, type VolumeOptions } from './s3-rules.js';
export { evidenceDestructionRule } from './kubernetes-rules.js';
export {
  lower,
  type Detection,
  type Matcher,
  type Rule,
  type RuleHit,
  type RuleInfo,
  type RuleResult,
} from './types.js';
