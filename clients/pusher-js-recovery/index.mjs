// The ES module entry point; the implementation is CommonJS so that require() works on every Node version.
import recovery from './index.cjs';

export const { withRecovery } = recovery;
export default recovery;
