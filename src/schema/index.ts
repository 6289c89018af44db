// Loads every type module, then builds the schema. Only this file knows the full list.
import { builder } from './builder.js';
import './scalars.js';
import './history-field.js';
import './history.js';
import './location.js';
import './rack.js';
import './device.js';
import './component.js';
import './interface.js';
import './cable.js';
import './group.js';
import './cloud-init.js';
import './redfish.js';
import './device-subscription.js';
import './import.js';

export const schema = builder.toSchema({ sortSchema: true });
