/**
 * The whole Ignition HTTP contract. The server implements it with
 * `HttpApiBuilder`; clients derive a typed client from it with
 * `HttpApiClient.make(IgnitionApi, { baseUrl })`.
 *
 * @since 0.1.0
 */
import { HttpApi, OpenApi } from "@effect/platform"
import { AdminApi } from "./AdminApi.js"
import {
  BadRequest,
  Forbidden,
  InternalServerError,
  LengthRequired,
  NotFound,
  PayloadTooLarge,
  ServiceUnavailable,
} from "./ApiError.js"
import { AuthApi, OidcApi, PasskeysApi } from "./AuthApi.js"
import { CryptoPolicyApi } from "./CryptoPolicyApi.js"
import { IdeasApi } from "./IdeasApi.js"
import { InfobaseApi } from "./InfobaseApi.js"
import { JournalApi } from "./JournalApi.js"
import { SettingsApi } from "./SettingsApi.js"
import { DecksApi, FlashcardsApi, ReviewApi } from "./SrsApi.js"
import { SyncApi } from "./SyncApi.js"
import { SyncRealtimeApi } from "./SyncRealtimeApi.js"
import { SystemApi } from "./SystemApi.js"
import { UploadsApi } from "./UploadsApi.js"
import { VaultAdminApi, VaultApi } from "./VaultApi.js"

/**
 * Incremented on every breaking change of the contract; reported by
 * `GET /api/version` so clients can refuse an incompatible server.
 *
 * @since 0.1.0
 */
export const contractVersion = 1

/**
 * @since 0.1.0
 */
export class IgnitionApi extends HttpApi.make("ignition")
  .add(SystemApi)
  .add(AuthApi)
  .add(OidcApi)
  .add(PasskeysApi)
  .add(AdminApi)
  .add(SettingsApi)
  .add(VaultApi)
  .add(VaultAdminApi)
  .add(CryptoPolicyApi)
  .add(IdeasApi)
  .add(InfobaseApi)
  .add(JournalApi)
  .add(DecksApi)
  .add(FlashcardsApi)
  .add(ReviewApi)
  .add(SyncApi)
  .add(SyncRealtimeApi)
  .add(UploadsApi)
  .addError(BadRequest)
  .addError(Forbidden)
  .addError(NotFound)
  .addError(LengthRequired)
  .addError(PayloadTooLarge)
  .addError(InternalServerError)
  .addError(ServiceUnavailable)
  .annotate(OpenApi.Title, "Ignition API")
  .annotate(OpenApi.Version, String(contractVersion))
  .annotate(
    OpenApi.Description,
    "Self-hostable, end-to-end-encrypted productivity and music-production learning platform",
  ) {}
