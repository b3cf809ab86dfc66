// What the emulator needs of a logger: three methods. cognito-newman's logger (which redacts
// registered secrets) fits as it is; library users may pass any object with these methods.

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

/** Drops everything: the default when no logger is given (tests, library calls). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, debug: () => {} };
