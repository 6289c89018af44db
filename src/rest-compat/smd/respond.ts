// The HTTP side of SMD's small answers: `{"code":0,"message":...}`, and the created-resource
// answers (201 with the URI(s) and Location, 204 when nothing was created).
import { smdMessage, uriJson } from '../../codecs/smd/index.js';
import { json } from '../http/respond.js';

export function message(text: string, status = 200): Response {
  return json(smdMessage(text), status);
}

/** 201 with one `{"URI":...}` object (EthernetInterfaces, IPAddresses). */
export function createdOne(uri: string): Response {
  return json(uriJson(uri), 201, { location: uri });
}

/** 201 with an array of `{"URI":...}`; Location is the URI, or the collection for several; 204 for none. */
export function createdUris(uris: string[], collection: string): Response {
  if (uris.length === 0) return new Response(null, { status: 204 });
  return json(uris.map(uriJson), 201, { location: uris.length === 1 ? uris[0] : collection });
}
