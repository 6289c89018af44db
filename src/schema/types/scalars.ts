import { DateTimeResolver, IPResolver, JSONObjectResolver, JSONResolver, MACResolver, UUIDResolver } from 'graphql-scalars';
import { builder } from '../builder.js';

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.addScalarType('UUID', UUIDResolver);
builder.addScalarType('MAC', MACResolver);
builder.addScalarType('IP', IPResolver);
