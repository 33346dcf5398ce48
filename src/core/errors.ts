/** Bad user input (dates, zones, names, paths): refused before anything runs. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
