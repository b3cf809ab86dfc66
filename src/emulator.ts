// `cognito-newman/emulator`: the emulator's API, re-exported from its own package
// (`cognito-newman-emulator`, installed beside cognito-newman with `npm i -D cognito-newman-emulator`).
// Importing this entry without that package fails with Node's ERR_MODULE_NOT_FOUND naming it.
export * from 'cognito-newman-emulator';
