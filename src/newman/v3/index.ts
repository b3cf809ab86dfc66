// Postman collection v3 (the Git-native folder of YAML files Postman v12 writes): recognised by
// path, read into the same in-memory v2.1 collection a JSON export gives, so the rest of the run
// (auth block, token injection, checks, sharding, reporters, redaction) needs no change.
export { isV3CollectionPath } from './detect.js';
export { readV3Collection, convertV3ToV21, type V3ReadOptions, type V3ReadResult } from './read.js';
