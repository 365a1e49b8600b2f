// What the cross-plane bundle's role lookup reads (src/actions/cross-plane/pod-identity.ts), on
// top of the four actions it runs: the pod's service account (IRSA annotation) and the cluster's
// Pod Identity associations. Listed with the actions' own declarations so `firebreak permissions`
// and the README include them.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html

import type { ActionMeta } from '../meta.js';

export const CROSS_PLANE_PERMISSIONS: Pick<ActionMeta, 'id' | 'permissions'> = {
  id: 'bundle.crossPlane (X: role lookup)',
  permissions: {
    aws: ['eks:ListPodIdentityAssociations', 'eks:DescribePodIdentityAssociation'],
    kubernetes: [
      { apiGroup: '', resource: 'pods', verbs: ['get'] },
      { apiGroup: '', resource: 'serviceaccounts', verbs: ['get'] },
    ],
  },
};
