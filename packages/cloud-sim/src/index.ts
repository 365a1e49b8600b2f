// @firebreak/cloud-sim: a simulated AWS (EC2, IAM, STS, S3, CloudTrail with Lake, Athena, EKS), Kubernetes API server and
// Vault on 127.0.0.1, for drills and wire tests. Each service is a model (state and semantics) and
// a protocol (the wire format its real clients speak); it imports nothing from firebreak, so what
// it answers is an independent oracle for the product's own read-backs.

export { judgeAwsCall, type ScriptedCall, type Verdict } from './reactions.js';
export { judgeKubeCall, type KubeCall, type KubeVerdict } from './kubernetes/reactions.js';
export { startSimCloud, type CloudEndpoints, type CloudSeed, type SimCloud, type SimCloudOptions } from './cloud.js';
export { loggedRecords, type FollowUpContext, type LoggedRecord } from './logged-records.js';

export {
  headersOf,
  listen,
  parseForm,
  readBody,
  requestId,
  SimRecorder,
  type Handler,
  type RunningSim,
  type SimCall,
  type SimFault,
  type Tls,
} from './server/http.js';
export { listenQuery, QueryError, requestIdOf, serveQuery, type QueryService } from './server/aws-query.js';

export { matches as ec2FiltersMatch, type Filter as Ec2Filter, type Tag as Ec2Tag } from './ec2/model/filters.js';
export {
  Ec2World,
  type Ec2InstanceSeed,
  type Ec2NetworkAclEntrySeed,
  type Ec2NetworkAclSeed,
  type Ec2RuleSeed,
  type Ec2SecurityGroupSeed,
  type Ec2Seed,
  type Ec2SnapshotSeed,
  type Ec2VolumeSeed,
} from './ec2/model/world.js';
export {
  answer as ec2Answer,
  EC2_API_VERSION,
  EC2_SIM_OPERATIONS,
  ec2Handler,
  startEc2Sim,
  type Ec2Sim,
} from './ec2/protocol/server.js';

export {
  IamModel,
  type IamKey,
  type IamKeySeed,
  type IamRole,
  type IamRoleSeed,
  type IamSeed,
  type IamUser,
  type IamUserSeed,
} from './iam/model.js';
export { IamSim } from './iam/protocol.js';

export { callerIdentity, type StsSeed } from './sts/model.js';
export { StsSim } from './sts/protocol.js';

export {
  S3Model,
  ALL_USERS,
  type AclGrant,
  type LockMode,
  type PublicAccessBlock,
  type S3Bucket,
  type S3ObjectVersion,
  type S3Seed,
  type S3SeedBucket,
  type S3SeedObject,
} from './s3/model.js';
export { S3Sim } from './s3/protocol.js';

export {
  CloudTrailModel,
  DEFAULT_EVENT_DATA_STORE,
  matchesAttribute,
  type CloudTrailSeed,
  type CloudTrailSeedEvent,
} from './cloudtrail/model.js';
export { CloudTrailSim } from './cloudtrail/protocol.js';
export { LakeQueries } from './cloudtrail/lake.js';

export {
  AthenaModel,
  athenaRow,
  ATHENA_CLOUDTRAIL_COLUMNS,
  DEFAULT_ATHENA_TABLE,
  type AthenaSeed,
  type AthenaTableSeed,
} from './athena/model.js';
export { AthenaSim } from './athena/protocol.js';
export { parseSelect, SqlError, type Expr, type Select } from './sql/parse.js';
export { evaluate, resolvePath, trinoText, type Table } from './sql/evaluate.js';
export { QueryRuns, type QueryRun, type RunState } from './sql/runs.js';

export {
  EksModel,
  EksError,
  EKS_SEED_TIME,
  type EksAssociation,
  type EksAssociationSeed,
  type EksClusterSeed,
  type EksSeed,
} from './eks/model.js';
export { EksSim, eksOperation, isEksRequest } from './eks/protocol.js';

export {
  isValidLabelKey,
  isValidLabelValue,
  labelSelectorMatches,
  parseSelector,
  requirementMatches,
  selectorMatcher,
  SelectorSyntaxError,
  serviceSelects,
  type LabelSelector,
  type LabelSelectorRequirement,
  type Labels,
  type Requirement,
} from './kubernetes/model/labels.js';
export { KubeCluster } from './kubernetes/model/cluster.js';
export {
  KubeStatusError,
  type KubeSeed,
  type PodSeed,
  type ServiceSeed,
  type ServiceAccountSeed,
  type ReplicaSetSeed,
  type NodeSeed,
  type NetworkPolicySeed,
  type EventSeed,
  type ContainerSeed,
  type Obj as KubeObject,
} from './kubernetes/model/objects.js';
export { KubeSim, type KubeSimOptions } from './kubernetes/protocol/server.js';

export { VaultModel, type VaultCapability, type VaultSeed, type VaultSeedLease } from './vault/model.js';
export { VaultSim } from './vault/protocol.js';
