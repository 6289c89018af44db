// SMD's small answers: `{"code":0,"message":...}` (deletes, "Created N entries") and the URI
// list of what a POST created.

export const smdMessage = (text: string) => ({ code: 0, message: text });

export const uriJson = (uri: string) => ({ URI: uri });
