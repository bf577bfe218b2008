# Páginas de Tessera, español.

## Todas las páginas
page-title = { $title } · { $product }

## Iniciar sesión
login-title = Iniciar sesión
login-lead = para continuar en { $app }
login-username = Nombre de usuario
login-password = Contraseña
login-show-password = Mostrar contraseña
login-submit = Iniciar sesión
login-not-you = ¿No es usted? Usar otra cuenta
signin-error-failed = El nombre de usuario o la contraseña no son correctos. Revise ambos e inténtelo de nuevo.
signin-error-throttled = Demasiados intentos fallidos de inicio de sesión. Vuelva a intentarlo dentro de { $seconds ->
        [one] 1 segundo
       *[other] { $seconds } segundos
    }.
signin-error-throttled-minutes = Demasiados intentos fallidos de inicio de sesión. Vuelva a intentarlo dentro de { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
signin-error-disabled = Esta cuenta está desactivada. Pida al administrador de { $product } que la vuelva a activar.

## Consentimiento
consent-title = ¿Permitir el acceso?
consent-lead = { $app } quiere:
consent-signed-in-as = Sesión iniciada como { $user }.
consent-not-you = ¿No es usted? Usar otra cuenta
consent-allow = Permitir
consent-deny = Denegar
consent-raw-scopes = Lo que pidió la aplicación, tal cual (para desarrolladores)
consent-change-later = Puede cambiar esta decisión más adelante en la página de su cuenta.
consent-app-site = Acerca de { $app }
consent-policy = Política de privacidad
consent-terms = Condiciones del servicio
consent-logo = Logotipo de { $app }
scope-openid = Saber quién es usted (un identificador estable, el mismo cada vez que inicia sesión)
scope-profile = Ver su nombre, su nombre de usuario y otros datos de su perfil
scope-email = Ver su dirección de correo electrónico
scope-address = Ver su dirección postal
scope-phone = Ver su número de teléfono
scope-offline_access = Seguir conectada a su cuenta después de que cierre la sesión aquí
scope-groups = Ver los nombres de los grupos a los que perteneces
scope-api = Usar otros servicios en su nombre ({ $count ->
        [one] un permiso
       *[other] { $count } permisos
    })

## Página de error
error-title-refused = Esta solicitud de inicio de sesión no se puede completar
error-what-refused = La aplicación que le envió aquí hizo una solicitud que este servidor no puede aceptar. No es culpa suya.
error-title-expired = Esta página ha caducado
error-what-expired = El inicio de sesión tardó demasiado o ya se completó en otra pestaña.
error-title-server = Algo ha fallado por nuestra parte
error-what-server = El servidor no pudo completar su solicitud.
error-title-unavailable = No disponible temporalmente
error-what-unavailable = El servicio no puede responder en este momento.
error-todo = Qué puede hacer
error-todo-back = Vuelva a la aplicación y empiece de nuevo.
error-todo-retry = Espere un momento y vuelva a intentarlo.
error-todo-contact = Si sigue ocurriendo, comunique al administrador el identificador de error que aparece abajo.
error-id = Identificador de error
error-details = Detalles técnicos (para quien desarrolla la aplicación)
error-code = Código de error
error-description = Descripción

## Cerrar sesión
logout-title = ¿Cerrar sesión?
logout-asks = { $app } solicita cerrar su sesión en { $product }.
logout-about = Está a punto de cerrar su sesión en { $product }.
logout-signed-in-as = Sesión iniciada como { $user }. Se avisará a las aplicaciones en las que inició sesión a través de { $product }.
logout-submit = Cerrar sesión
logged-out-title = Ha cerrado la sesión
logged-out-lead = Ya puede cerrar esta página.
logged-out-back = Volver a { $app }

## Volviendo a la aplicación (form post)
form-post-title = Volviendo a la aplicación
form-post-heading = Volviendo a la aplicación…
form-post-noscript = JavaScript está desactivado: continúe manualmente.
form-post-continue = Continuar

## Página de inicio (GET /)
landing-lead = { $product } es el servicio de inicio de sesión de este sitio: las aplicaciones le envían aquí para iniciar sesión y usted vuelve a ellas con la sesión iniciada.
landing-account = Gestionar su cuenta
landing-fresh-title = Próximos pasos para el administrador
landing-fresh-body = Todavía no hay ninguna aplicación registrada. En el servidor, añada un usuario y una aplicación con estos comandos y luego siga la guía paso a paso del README:
landing-health = El servidor está en marcha.

# Second factor (TOTP or a recovery code) after the password.
otp-title = Verificación en dos pasos
otp-lead = Introduce el código de 6 dígitos de tu aplicación de autenticación para continuar a { $app }.
otp-code = Código
otp-hint = ¿Perdiste tu dispositivo? Introduce uno de tus códigos de recuperación.
otp-submit = Verificar
signin-error-wrong-code = Este código es incorrecto o ya se usó. Espera al siguiente código de tu aplicación e inténtalo de nuevo.
signin-error-second-factor-missing = Este inicio de sesión requiere un segundo factor (una aplicación de autenticación) y tu cuenta no tiene ninguno. Pide al administrador de { $product } que configure uno.

# Invitation links (tessera user invite): set the first password.
invite-title = Configura tu cuenta
invite-lead = Te damos la bienvenida, { $username }. Elige una contraseña para tu cuenta de { $product }; iniciarás sesión en cuanto la establezcas.
invite-password = Nueva contraseña
invite-password-hint = Al menos 8 caracteres; unas cuantas palabras sin relación forman una contraseña segura.
invite-confirm = Repite la contraseña
invite-submit = Establecer contraseña e iniciar sesión
invite-error-mismatch = Las dos contraseñas no coinciden. Escribe la misma contraseña dos veces.
invite-error-weak = Esta contraseña es demasiado corta o fácil de adivinar. Elige una más larga, por ejemplo unas cuantas palabras sin relación.
invite-gone = Este enlace de invitación ha caducado o ya se usó. Pide uno nuevo al administrador.

# The account page (/account).
account-title = Tu cuenta
account-signed-out = No has iniciado sesión. Inicia sesión para gestionar tu cuenta.
account-profile = Perfil
account-username = Nombre de usuario
account-name = Nombre
account-email = Correo electrónico
account-picture = Imagen (una dirección https)
account-profile-save = Guardar el perfil
account-second-factor = Verificación en dos pasos
account-totp-on = Hay una aplicación de autenticación configurada. Códigos de recuperación restantes: { $count }.
account-totp-off = Sin configurar. Con una aplicación de autenticación, una contraseña robada no basta para iniciar sesión.
account-totp-add = Configurar una aplicación de autenticación
account-totp-remove = Quitar la aplicación de autenticación
account-recovery-regenerate = Crear nuevos códigos de recuperación
account-sessions = Dónde has iniciado sesión
account-session-line = Sesión iniciada el { $started }, vista el { $seen }, aplicaciones: { $apps }
account-session-current = Este navegador
account-session-end = Cerrar sesión
account-sessions-end-all = Cerrar sesión en todas partes
account-session-device = { $browser } en { $os }
account-session-client = { $device } · dirección { $address }
account-session-unknown = desconocido
account-reauth = Tu contraseña (para confirmar que eres tú)
account-error-password = La contraseña no es correcta.
account-error-code = Este código no es correcto. Comprueba la hora de tu dispositivo y escribe el código que muestra ahora.
account-back = Volver a tu cuenta
totp-setup-title = Configurar una aplicación de autenticación
totp-setup-lead = Escanea este código QR con tu aplicación de autenticación, o escribe la clave en ella, y luego introduce el código de 6 dígitos que muestra.
totp-setup-qr = Código QR para tu aplicación de autenticación
totp-setup-key = Clave
totp-setup-submit = Activar
recovery-title = Tus códigos de recuperación
recovery-lead = Guarda estos códigos en un lugar seguro: cada uno sirve una vez, en lugar de un código de tu aplicación. Solo se muestran ahora.
account-apps = Aplicaciones conectadas
account-apps-none = Ninguna aplicación tiene acceso a tu cuenta.
account-app-line = { $app }: permitido { $scope }; sesiones activas: { $grants }
account-app-revoke = Revocar el acceso
account-password = Contraseña
account-password-current = Contraseña actual
account-password-submit = Cambiar la contraseña
account-sign-in-code-hint = Solo si configuraste la verificación en dos pasos: el código de tu aplicación o un código de recuperación.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = No tienes acceso a esta aplicación
no-access-lead = Tu cuenta { $user } no tiene permiso para usar { $app }.
no-access-todo = Si crees que deberías tener acceso, pide a tu administrador que te añada al grupo adecuado.
no-access-back = Volver a { $app }

device-title = Conectar un dispositivo
device-lead = Introduce el código que muestra tu dispositivo (un televisor, una consola, una herramienta de línea de comandos) para conectarlo a tu cuenta.
device-lead-confirm = Comprueba que este es el código que muestra tu dispositivo y continúa.
device-code = Código
device-code-hint = Ocho letras, tal como aparecen en el dispositivo; el guion y las mayúsculas o minúsculas no importan.
device-submit = Continuar
device-error-unknown = Este código no es válido. Puede que haya caducado o que ya se haya usado; revisa el dispositivo e inténtalo de nuevo.
device-error-throttled = Demasiados códigos incorrectos desde esta red. Espera unos minutos y vuelve a intentarlo.
device-approved-title = Dispositivo conectado
device-approved-lead = Puedes cerrar esta página y volver a tu dispositivo; continuará por sí solo.
device-denied-title = Dispositivo no conectado
device-denied-lead = El dispositivo no obtiene acceso. Puedes cerrar esta página.

## Passkeys (issue 11)
passkey-or = o
passkey-sign-in = Iniciar sesión con una llave de acceso
passkey-verify = Usar una llave de acceso
signin-error-passkey = No se aceptó la llave de acceso. Inténtelo de nuevo o use su contraseña.
account-passkeys = Llaves de acceso
account-passkeys-none = Aún no tiene llaves de acceso. Una llave de acceso le permite iniciar sesión con el bloqueo de pantalla de su dispositivo, sin contraseña.
account-passkey-name = Nombre
account-passkey-rename = Cambiar nombre
account-passkey-remove = Quitar
account-passkey-add = Añadir una llave de acceso
account-passkey-line = añadida { $created }, último uso { $used }
account-passkey-line-synced = añadida { $created }, último uso { $used }, sincronizada entre dispositivos
account-error-passkey = No se añadió la llave de acceso. Inténtelo de nuevo.
account-error-last-credential = Es su única forma de iniciar sesión (sin contraseña ni otra llave de acceso), así que se conserva. Añada otra llave de acceso o establezca una contraseña primero.
account-error-profile = Ese nombre o esa dirección de imagen no se pueden usar: la imagen debe ser una dirección http o https.
invite-passkey = Usar una llave de acceso en su lugar e iniciar sesión
account-reauth-passkey = Confirme que es usted con una llave de acceso
passkey-lead = Confirme con su llave de acceso para continuar a { $app }.

## The admin pages (/admin)
admin-title = Administración
admin-nav-users = Usuarios
admin-nav-groups = Grupos
admin-nav-clients = Aplicaciones
admin-nav-keys = Claves de firma
admin-nav-audit = Registro de auditoría
admin-signed-in-as = Sesión iniciada como { $user }
admin-sign-out = Cerrar sesión
admin-denied-title = Sin acceso a la administración
admin-denied-lead = { $user } no es miembro del grupo admins. Un administrador puede añadirle con este comando:
admin-denied-sign-out = Iniciar sesión con otra cuenta
admin-restart-title = El inicio de sesión no se completó
admin-restart-lead = El inicio de sesión tardó demasiado o se empezó en otro navegador. Empiece de nuevo.
admin-restart-button = Iniciar sesión de nuevo
admin-error-title = Eso no funcionó
admin-back = Volver
admin-never = Nunca
admin-users-title = Usuarios
admin-users-search = Buscar
admin-users-search-label = Nombre de usuario, correo o nombre
admin-users-none = Ningún usuario coincide.
admin-field-username = Nombre de usuario
admin-field-email = Correo electrónico
admin-field-name = Nombre
admin-col-status = Estado
admin-col-last-login = Último inicio de sesión
admin-status-active = Activo
admin-status-disabled = Desactivado
admin-users-create = Crear un usuario
admin-users-create-help = El usuario elige su propia contraseña con un enlace de invitación, creado en su página y mostrado una sola vez.
admin-create = Crear
admin-user-disable = Desactivar
admin-user-enable = Activar
admin-user-invite = Crear un enlace de invitación
admin-user-invite-shown = Enlace de invitación (solo se muestra ahora; funciona una vez):
admin-user-sessions-end = Cerrar todas las sesiones
admin-user-no-groups = No pertenece a ningún grupo.
admin-user-add-group = Añadir al grupo
admin-add = Añadir
admin-remove = Quitar
admin-groups-title = Grupos
admin-groups-create = Crear un grupo
admin-field-group-name = Nombre
admin-field-description = Descripción
admin-group-members = Miembros
admin-group-no-members = Aún no hay miembros.
admin-group-add-member = Añadir un miembro (nombre de usuario)
admin-clients-title = Aplicaciones
admin-client-new-title = Registrar una aplicación
admin-field-client-id = ID de cliente
admin-field-client-id-help = Un nombre corto que la aplicación envía como client_id: letras, cifras, puntos, - y _.
admin-field-client-name = Nombre visible
admin-field-client-name-help = Se muestra en las páginas de inicio de sesión y de consentimiento.
admin-field-client-type = Tipo
admin-field-client-type-help = Confidencial: una aplicación de servidor que puede guardar un secreto. Pública: una aplicación de una sola página o móvil, que no puede; siempre usa PKCE.
admin-type-confidential = Confidencial (servidor)
admin-type-public = Pública (navegador o móvil)
admin-field-redirect-uris = URI de redirección
admin-field-redirect-uris-help = Una por línea. Tessera solo devuelve el navegador a estas, comparadas exactamente (https, o http en localhost).
admin-field-scope = Scopes adicionales
admin-field-scope-help = Scopes de API además de openid, profile y email, separados por espacios; déjelo vacío si no está seguro.
admin-field-skip-consent = Aplicación propia: no pedir consentimiento
admin-client-secret-shown = Secreto de cliente (solo se muestra ahora; Tessera guarda solo su hash):
admin-client-issuer = Emisor
admin-client-endpoints = Endpoints
admin-client-snippet = Configuración para una biblioteca OpenID Connect
admin-client-snippet-help = La mayoría de las bibliotecas solo necesitan el emisor: leen los endpoints de su documento de descubrimiento.
admin-doctor-title = Doctor de integración
admin-doctor-lead = Las solicitudes fallidas recientes de la aplicación, cada una explicada con la solución.
admin-doctor-none = No hay solicitudes fallidas recientes.
admin-doctor-fix = Solución:
admin-keys-title = Claves de firma
admin-col-kid = ID de clave
admin-col-state = Estado
admin-col-created = Creada
admin-col-age = Antigüedad
admin-keys-rotate = Rotar ahora
admin-keys-rotate-help = La siguiente clave pasa a ser la actual; los tokens firmados con la anterior siguen siendo válidos hasta que caduquen.
admin-age-days = { $days ->
        [one] 1 día
       *[other] { $days } días
    }
admin-audit-title = Registro de auditoría
admin-audit-filter = Filtrar
admin-field-since = Desde (UTC)
admin-field-until = Hasta (UTC)
admin-field-user = Usuario (subject)
admin-field-client = Aplicación (ID de cliente)
admin-field-event = Tipo de evento
admin-col-time = Hora
admin-col-actor = Actor
admin-col-detail = Detalle
admin-audit-none = Ningún evento coincide.
admin-audit-older = Eventos anteriores
admin-confirm-title = ¿Está seguro?
admin-cancel = Cancelar
admin-confirm-user-delete = ¿Eliminar el usuario { $name }? Sus sesiones terminan, las aplicaciones en las que inició sesión pierden sus autorizaciones y la cuenta no se puede recuperar.
admin-confirm-user-mfa-reset = ¿Quitar todos los segundos factores y llaves de acceso de { $name }? Hágalo solo después de comprobar por otro medio quién lo pide: hasta que vuelva a registrarlos, le basta su contraseña para iniciar sesión.
admin-confirm-client-delete = ¿Eliminar el cliente { $name }? Todo lo emitido para él deja de funcionar al instante y la aplicación ya no puede iniciar la sesión de nadie.
admin-confirm-key-revoke = ¿Revocar la clave de firma { $name }? Sale al instante de las claves publicadas y ningún token firmado con ella se puede verificar.
admin-confirm-group-delete = ¿Eliminar el grupo { $name }? Sus miembros salen de él y las aplicaciones que lo reciben en los tokens dejan de verlo.
admin-confirm-admins-warning = admins es el grupo de los administradores: eliminarlo quita las páginas de administración a todos, usted incluido, hasta que alguien ejecute `tessera group add admins` y vuelva a añadir miembros.
admin-user-delete = Eliminar el usuario
admin-user-mfa-reset = Restablecer los segundos factores
admin-user-sessions = Sesiones
admin-user-no-sessions = No hay ninguna sesión abierta.
admin-col-signed-in = Inicio de sesión
admin-col-last-seen = Última actividad
admin-col-clients = Aplicaciones
admin-col-device = Dispositivo
admin-session-end = Cerrar esta sesión
admin-client-edit = Editar
admin-client-edit-title = Editar el cliente
admin-save = Guardar
admin-client-delete = Eliminar el cliente
admin-client-rotate = Renovar el secreto
admin-client-rotate-help = El nuevo secreto se muestra una sola vez, en la página siguiente. El anterior sigue funcionando durante el solapamiento elegido, para desplegar la aplicación sin interrupción.
admin-field-overlap = El secreto anterior sigue valiendo durante
admin-overlap-none = Nada: deja de valer ahora
admin-overlap-hour = 1 hora
admin-overlap-day = 1 día
admin-overlap-week = 7 días
admin-client-secret-overlap = El secreto anterior sigue funcionando hasta { $until }.
admin-key-revoke = Revocar
admin-group-delete = Eliminar el grupo
admin-stale = Alguien cambió esto desde que abrió el formulario, así que no se guardó nada. Ábralo de nuevo para ver los valores actuales y luego haga su cambio.
