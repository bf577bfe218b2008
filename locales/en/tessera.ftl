# Tessera's pages, English. Every shipped catalogue has exactly these messages (a test checks it).
# Values are plain text: the pages escape them. $app, $user and $product are names, never translated.

## Every page
page-title = { $title } · { $product }

## Sign in
login-title = Sign in
login-lead = to continue to { $app }
login-username = Username
login-password = Password
login-show-password = Show password
login-submit = Sign in
login-not-you = Not you? Use another account
signin-error-failed = The username or password is incorrect. Check both and try again.
signin-error-throttled = Too many failed sign-in attempts. Try again in { $seconds ->
        [one] 1 second
       *[other] { $seconds } seconds
    }.
signin-error-throttled-minutes = Too many failed sign-in attempts. Try again in { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }.
signin-error-disabled = This account is disabled. Ask the administrator of { $product } to enable it again.

## Consent
consent-title = Allow access?
consent-lead = { $app } would like to:
consent-signed-in-as = Signed in as { $user }.
consent-not-you = Not you? Use another account
consent-allow = Allow
consent-deny = Deny
consent-raw-scopes = What the application asked for, as it asked (for developers)
consent-change-later = You can change this choice later on your account page.
consent-app-site = About { $app }
consent-policy = Privacy policy
consent-terms = Terms of service
consent-logo = Logo of { $app }
scope-openid = Know who you are (a stable identifier that is the same each time you sign in)
scope-profile = See your name, username and other profile details
scope-email = See your email address
scope-address = See your postal address
scope-phone = See your phone number
scope-offline_access = Stay connected to your account after you sign out here
scope-groups = See the names of the groups you belong to
scope-api = Use other services on your behalf ({ $count ->
        [one] one permission
       *[other] { $count } permissions
    })

## Error page
error-title-refused = This sign-in request cannot be completed
error-what-refused = The application that sent you here made a request that this server cannot accept. It is not something you did wrong.
error-title-expired = This page has expired
error-what-expired = The sign-in took too long, or it was already completed in another tab.
error-title-server = Something went wrong on our side
error-what-server = The server could not complete your request.
error-title-unavailable = Temporarily unavailable
error-what-unavailable = The service cannot answer right now.
error-todo = What you can do
error-todo-back = Go back to the application and start again.
error-todo-retry = Wait a moment, then try again.
error-todo-contact = If it keeps happening, tell the administrator the error id below.
error-id = Error id
error-details = Technical details (for the application's developer)
error-code = Error code
error-description = Description

## Sign out
logout-title = Sign out?
logout-asks = { $app } asks to sign you out of { $product }.
logout-about = You are about to sign out of { $product }.
logout-signed-in-as = Signed in as { $user }. The applications you signed in to through { $product } are told.
logout-submit = Sign out
logged-out-title = You are signed out
logged-out-lead = You can close this page now.
logged-out-back = Back to { $app }

## Returning to the application (form post)
form-post-title = Returning to the application
form-post-heading = Returning to the application…
form-post-noscript = JavaScript is off: continue by hand.
form-post-continue = Continue

## Landing page (GET /)
landing-lead = { $product } is the sign-in service of this site: applications send you here to sign in, and you come back to them signed in.
landing-account = Manage your account
landing-fresh-title = Next steps for the administrator
landing-fresh-body = No application is registered yet. On the server, add a user and an application with these commands, then follow the README's walk-through:
landing-health = The server is running.

# Second factor (TOTP or a recovery code) after the password.
otp-title = Two-step verification
otp-lead = Enter the 6-digit code from your authenticator app to continue to { $app }.
otp-code = Code
otp-hint = Lost your device? Enter one of your recovery codes instead.
otp-submit = Verify
signin-error-wrong-code = This code is incorrect or was already used. Wait for the next code in your app and try again.
signin-error-second-factor-missing = This sign-in needs a second factor (an authenticator app), and your account has none. Ask the administrator of { $product } to set one up.

# Invitation links (tessera user invite): set the first password.
invite-title = Set up your account
invite-lead = Welcome, { $username }. Choose a password for your { $product } account; you are signed in as soon as it is set.
invite-password = New password
invite-password-hint = At least 8 characters; a few unrelated words make a strong one.
invite-confirm = Repeat the password
invite-submit = Set password and sign in
invite-error-mismatch = The two passwords differ. Type the same password twice.
invite-error-weak = This password is too short or too easy to guess. Choose a longer one, for example a few unrelated words.
invite-gone = This invitation link has expired or was already used. Ask the administrator for a new one.

# The account page (/account).
account-title = Your account
account-signed-out = You are not signed in. Sign in to manage your account.
account-profile = Profile
account-username = Username
account-name = Name
account-email = Email
account-picture = Picture (an https address)
account-profile-save = Save the profile
account-second-factor = Two-step verification
account-totp-on = An authenticator app is set up. Recovery codes left: { $count }.
account-totp-off = Not set up. With an authenticator app, a stolen password is not enough to sign in.
account-totp-add = Set up an authenticator app
account-totp-remove = Remove the authenticator app
account-recovery-regenerate = Make new recovery codes
account-sessions = Where you are signed in
account-session-line = Signed in { $started }, last seen { $seen }, applications: { $apps }
account-session-current = This browser
account-session-end = Sign out
account-sessions-end-all = Sign out everywhere
account-session-device = { $browser } on { $os }
account-session-client = { $device } · address { $address }
account-session-unknown = unknown
account-reauth = Your password (to confirm it is you)
account-error-password = The password is incorrect.
account-error-code = This code is incorrect. Check the time on your device and type the code your app shows now.
account-back = Back to your account
totp-setup-title = Set up an authenticator app
totp-setup-lead = Scan this QR code with your authenticator app, or type the key into it, then enter the 6-digit code it shows.
totp-setup-qr = QR code for your authenticator app
totp-setup-key = Key
totp-setup-submit = Turn on
recovery-title = Your recovery codes
recovery-lead = Keep these codes somewhere safe: each works once, instead of a code from your app. They are shown only now.
account-apps = Connected applications
account-apps-none = No application has access to your account.
account-app-line = { $app }: allowed { $scope }; active sign-ins: { $grants }
account-app-revoke = Revoke access
account-password = Password
account-password-current = Current password
account-password-submit = Change password
account-sign-in-code-hint = Only if you set up two-step verification: the code from your app, or a recovery code.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = You don't have access to this application
no-access-lead = Your account { $user } is not allowed to use { $app }.
no-access-todo = If you think you should have access, ask your administrator to add you to the right group.
no-access-back = Back to { $app }

device-title = Connect a device
device-lead = Enter the code shown on your device (a TV, a console, a command-line tool) to connect it to your account.
device-lead-confirm = Check that this is the code your device shows, then continue.
device-code = Code
device-code-hint = Eight letters, as shown on the device; the dash and upper or lower case do not matter.
device-submit = Continue
device-error-unknown = This code is not valid. It may have expired or been used already; check the device and try again.
device-error-throttled = Too many wrong codes from this network. Wait a few minutes, then try again.
device-approved-title = Device connected
device-approved-lead = You can close this page and go back to your device; it continues on its own.
device-denied-title = Device not connected
device-denied-lead = The device gets no access. You can close this page.

## Passkeys (issue 11)
passkey-or = or
passkey-sign-in = Sign in with a passkey
passkey-verify = Use a passkey
signin-error-passkey = The passkey was not accepted. Try again, or use your password.
account-passkeys = Passkeys
account-passkeys-none = No passkey yet. A passkey signs you in with your device's screen lock, without a password.
account-passkey-name = Name
account-passkey-rename = Rename
account-passkey-remove = Remove
account-passkey-add = Add a passkey
account-passkey-line = added { $created }, last used { $used }
account-passkey-line-synced = added { $created }, last used { $used }, synced across devices
account-error-passkey = The passkey was not added. Try again.
account-error-last-credential = This is your only way to sign in (no password and no other passkey), so it stays. Add another passkey or set a password first.
account-error-profile = That name or picture address cannot be used: the picture must be an http or https address.
invite-passkey = Use a passkey instead and sign in
account-reauth-passkey = Confirm it's you with a passkey
passkey-lead = Confirm with your passkey to continue to { $app }.

## The admin pages (/admin)
admin-title = Administration
admin-nav-users = Users
admin-nav-groups = Groups
admin-nav-clients = Applications
admin-nav-keys = Signing keys
admin-nav-audit = Audit log
admin-signed-in-as = Signed in as { $user }
admin-sign-out = Sign out
admin-denied-title = No access to administration
admin-denied-lead = { $user } is not a member of the admins group. An administrator can add you with this command:
admin-denied-sign-out = Sign in as someone else
admin-restart-title = The sign-in did not complete
admin-restart-lead = The sign-in took too long, or it was started in another browser. Start again.
admin-restart-button = Sign in again
admin-error-title = That did not work
admin-back = Back
admin-never = Never
admin-users-title = Users
admin-users-search = Search
admin-users-search-label = Username, email or name
admin-users-none = No user matches.
admin-field-username = Username
admin-field-email = Email
admin-field-name = Name
admin-col-status = Status
admin-col-last-login = Last sign-in
admin-status-active = Active
admin-status-disabled = Disabled
admin-users-create = Create a user
admin-users-create-help = The user sets their own password through an invitation link, made on the user's page and shown once.
admin-create = Create
admin-user-disable = Disable
admin-user-enable = Enable
admin-user-invite = Make an invitation link
admin-user-invite-shown = Invitation link (shown only now; it works once):
admin-user-sessions-end = End all sessions
admin-user-no-groups = Not a member of any group.
admin-user-add-group = Add to group
admin-add = Add
admin-remove = Remove
admin-groups-title = Groups
admin-groups-create = Create a group
admin-field-group-name = Name
admin-field-description = Description
admin-group-members = Members
admin-group-no-members = No member yet.
admin-group-add-member = Add a member (username)
admin-clients-title = Applications
admin-client-new-title = Register an application
admin-field-client-id = Client ID
admin-field-client-id-help = A short name the application sends as client_id: letters, digits, dots, - and _.
admin-field-client-name = Display name
admin-field-client-name-help = Shown to people on the sign-in and consent pages.
admin-field-client-type = Type
admin-field-client-type-help = Confidential: a server-side application that can keep a secret. Public: a single-page or mobile application, which cannot; it always uses PKCE.
admin-type-confidential = Confidential (server-side)
admin-type-public = Public (browser or mobile)
admin-field-redirect-uris = Redirect URIs
admin-field-redirect-uris-help = One a line. Tessera sends the browser back only to these, compared exactly (https, or http on localhost).
admin-field-scope = Extra scopes
admin-field-scope-help = API scopes beyond openid, profile and email, separated by spaces; leave empty if unsure.
admin-field-skip-consent = First-party application: do not ask people for consent
admin-client-secret-shown = Client secret (shown only now; Tessera keeps only its hash):
admin-client-issuer = Issuer
admin-client-endpoints = Endpoints
admin-client-snippet = Configuration for an OpenID Connect library
admin-client-snippet-help = Most libraries need only the issuer: they read the endpoints from its discovery document.
admin-doctor-title = Integration doctor
admin-doctor-lead = The application's recent failed requests, each explained with the fix.
admin-doctor-none = No failed request recently.
admin-doctor-fix = Fix:
admin-keys-title = Signing keys
admin-col-kid = Key ID
admin-col-state = State
admin-col-created = Created
admin-col-age = Age
admin-keys-rotate = Rotate now
admin-keys-rotate-help = The next key becomes current; tokens signed with the old one stay valid until they expire.
admin-age-days = { $days ->
        [one] 1 day
       *[other] { $days } days
    }
admin-audit-title = Audit log
admin-audit-filter = Filter
admin-field-since = From (UTC)
admin-field-until = To (UTC)
admin-field-user = User (subject)
admin-field-client = Application (client ID)
admin-field-event = Event type
admin-col-time = Time
admin-col-actor = Actor
admin-col-detail = Detail
admin-audit-none = No event matches.
admin-audit-older = Older events
admin-confirm-title = Are you sure?
admin-cancel = Cancel
admin-confirm-user-delete = Delete the user { $name }? Their sessions end, the applications they signed in to lose their grants, and the account cannot be restored.
admin-confirm-user-mfa-reset = Remove every second factor and passkey of { $name }? Do this only once you have checked who is asking by other means: until they enrol again, their password alone signs them in.
admin-confirm-client-delete = Delete the client { $name }? Everything issued to it stops working at once, and the application can no longer sign anyone in.
admin-confirm-key-revoke = Revoke the signing key { $name }? It leaves the published keys at once, and every token it signed stops verifying.
admin-confirm-group-delete = Delete the group { $name }? Its members leave it, and the applications that release it in tokens no longer see it.
admin-confirm-admins-warning = admins is the group of the administrators: deleting it takes the admin pages away from everyone, you included, until someone runs `tessera group add admins` and adds members again.
admin-user-delete = Delete the user
admin-user-mfa-reset = Reset second factors
admin-user-sessions = Sessions
admin-user-no-sessions = No session is open.
admin-col-signed-in = Signed in
admin-col-last-seen = Last seen
admin-col-clients = Applications
admin-col-device = Device
admin-session-end = End this session
admin-client-edit = Edit
admin-client-edit-title = Edit the client
admin-save = Save
admin-client-delete = Delete the client
admin-client-rotate = Rotate the secret
admin-client-rotate-help = The new secret is shown once, on the next page. The old one keeps working for the overlap chosen, so the application can be redeployed without a gap.
admin-field-overlap = Old secret keeps working for
admin-overlap-none = No time: it stops now
admin-overlap-hour = 1 hour
admin-overlap-day = 1 day
admin-overlap-week = 7 days
admin-client-secret-overlap = The old secret keeps working until { $until }.
admin-key-revoke = Revoke
admin-group-delete = Delete the group
admin-stale = Someone changed this since you opened the form, so nothing was saved. Open it again to see the current values, then make your change.
