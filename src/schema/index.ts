// Loads every type module, then builds the schema. Only this file knows the full list.
import { builder } from './builder.js';
import './types/scalars.js';
import './types/history-field.js';
import './types/history.js';
import './types/location.js';
import './types/rack.js';
import './types/device.js';
import './types/component.js';
import './types/interface.js';
import './types/cable.js';
import './types/group.js';
import './types/cloud-init.js';
import './types/redfish.js';
import './types/device-subscription.js';
import './types/scan-operation.js';
import './types/component-subscription.js';
import './types/import.js';
import './types/inventory-counts.js';
import './types/scan.js';
import './types/boot-preview.js';

export const schema = builder.toSchema({ sortSchema: true });
