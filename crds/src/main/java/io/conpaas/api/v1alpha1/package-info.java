/** ConPaaS custom resources, API group conpaas.io, version v1alpha1 (the contract in shared/API.md). */
package io.conpaas.api.v1alpha1;
