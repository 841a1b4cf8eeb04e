/**
 * JSON text already at hand, bound to a json/jsonb parameter as it is: the json serializer of
 * connect() (core/db.ts) writes `text` rather than stringify the value once more.
 */
export class JsonText {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
