/** The store's entry point under the module name the bot and its tests import it by. */
export { DEFAULT_NAMESPACE, openStore, StoreError, type OpenStoreOptions } from "./open-store.js";
export { AUDIT_LOG_LIMIT } from "./store.js";
