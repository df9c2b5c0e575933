// The failure converter of every encrypting client and worker, loaded by path (DataConverter.failureConverterPath
// takes a module with a `failureConverter` export). With `encodeCommonAttributes`, a failure's message and stack
// trace travel as a payload beside it ("Encoded failure" in their place), so the payload codec encrypts them like
// any input: an error that quotes a login or an API answer reaches the server's history only encrypted. Readers
// (our clients, the Web UI through the codec server) put message and stack back after decoding.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
