/** The provider's define functions: handlers receive a {@link ProviderClient} as `client`. */
import { withClient } from '../tfplugin';
import type { ProviderClient } from './client';

export const { defineResource, defineDataSource } = withClient<ProviderClient>();
