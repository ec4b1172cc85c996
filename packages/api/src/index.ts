/**
 * @since 0.1.0
 */
export * as Account from "./Account.js"
/**
 * @since 0.1.0
 */
export * as AdminApi from "./AdminApi.js"
/**
 * @since 0.1.0
 */
export * as ApiError from "./ApiError.js"
/**
 * @since 0.1.0
 */
export * as AuthApi from "./AuthApi.js"
/**
 * @since 0.1.0
 */
export * as Authentication from "./Authentication.js"
/**
 * @since 0.1.0
 */
export * as Client from "./Client.js"
/**
 * @since 0.1.0
 */
export * as CryptoPolicyApi from "./CryptoPolicyApi.js"
/**
 * @since 0.1.0
 */
export * as IdeasApi from "./IdeasApi.js"
/**
 * @since 0.1.0
 */
export * as IgnitionApi from "./IgnitionApi.js"
/**
 * @since 0.1.0
 */
export * as InfobaseApi from "./InfobaseApi.js"
/**
 * @since 0.1.0
 */
export * as JournalApi from "./JournalApi.js"
/**
 * @since 0.1.0
 */
export * as KnowledgeBase from "./KnowledgeBase.js"
/**
 * @since 0.1.0
 */
export * as SettingsApi from "./SettingsApi.js"
/**
 * @since 0.1.0
 */
export * as SrsApi from "./SrsApi.js"
/**
 * @since 0.1.0
 */
export * as SyncApi from "./SyncApi.js"
/**
 * @since 0.1.0
 */
export * as SyncRealtimeApi from "./SyncRealtimeApi.js"
/**
 * @since 0.1.0
 */
export * as SystemApi from "./SystemApi.js"
/**
 * @since 0.1.0
 */
export * as UploadsApi from "./UploadsApi.js"
/**
 * @since 0.1.0
 */
export * as VaultApi from "./VaultApi.js"
