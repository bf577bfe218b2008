# Páginas do Tessera, português do Brasil.

## Todas as páginas
page-title = { $title } · { $product }

## Entrar
login-title = Entrar
login-lead = para continuar no { $app }
login-username = Nome de usuário
login-password = Senha
login-show-password = Mostrar senha
login-submit = Entrar
login-not-you = Não é você? Usar outra conta
signin-error-failed = O nome de usuário ou a senha estão incorretos. Confira os dois e tente novamente.
signin-error-throttled = Muitas tentativas de login sem sucesso. Tente novamente em { $seconds ->
        [one] 1 segundo
       *[other] { $seconds } segundos
    }.
signin-error-throttled-minutes = Muitas tentativas de login sem sucesso. Tente novamente em { $minutes ->
        [one] 1 minuto
       *[other] { $minutes } minutos
    }.
signin-error-disabled = Esta conta está desativada. Peça ao administrador do { $product } para reativá-la.

## Consentimento
consent-title = Permitir acesso?
consent-lead = { $app } gostaria de:
consent-signed-in-as = Conectado como { $user }.
consent-not-you = Não é você? Usar outra conta
consent-allow = Permitir
consent-deny = Recusar
consent-raw-scopes = O que o aplicativo pediu, exatamente como pediu (para desenvolvedores)
consent-change-later = Você pode mudar essa escolha depois, na página da sua conta.
consent-app-site = Sobre o { $app }
consent-policy = Política de privacidade
consent-terms = Termos de serviço
consent-logo = Logotipo do { $app }
scope-openid = Saber quem você é (um identificador fixo, o mesmo em todo login)
scope-profile = Ver seu nome, nome de usuário e outros dados do seu perfil
scope-email = Ver seu endereço de e-mail
scope-address = Ver seu endereço postal
scope-phone = Ver seu número de telefone
scope-offline_access = Continuar conectado à sua conta depois que você sair daqui
scope-groups = Ver os nomes dos grupos dos quais você faz parte
scope-api = Usar outros serviços em seu nome ({ $count ->
        [one] uma permissão
       *[other] { $count } permissões
    })

## Página de erro
error-title-refused = Não foi possível concluir este pedido de login
error-what-refused = O aplicativo que trouxe você até aqui fez um pedido que este servidor não pode aceitar. Você não fez nada de errado.
error-title-expired = Esta página expirou
error-what-expired = O login demorou demais ou já foi concluído em outra aba.
error-title-server = Algo deu errado do nosso lado
error-what-server = O servidor não conseguiu concluir seu pedido.
error-title-unavailable = Temporariamente indisponível
error-what-unavailable = O serviço não pode responder agora.
error-todo = O que você pode fazer
error-todo-back = Volte ao aplicativo e comece de novo.
error-todo-retry = Aguarde um momento e tente novamente.
error-todo-contact = Se continuar acontecendo, informe ao administrador o código de erro abaixo.
error-id = Código de erro
error-details = Detalhes técnicos (para quem desenvolve o aplicativo)
error-code = Tipo de erro
error-description = Descrição

## Sair
logout-title = Sair?
logout-asks = { $app } pede para desconectar você do { $product }.
logout-about = Você está prestes a sair do { $product }.
logout-signed-in-as = Conectado como { $user }. Os aplicativos em que você entrou pelo { $product } serão avisados.
logout-submit = Sair
logged-out-title = Você saiu
logged-out-lead = Você já pode fechar esta página.
logged-out-back = Voltar para o { $app }

## Voltando ao aplicativo (form post)
form-post-title = Voltando ao aplicativo
form-post-heading = Voltando ao aplicativo…
form-post-noscript = O JavaScript está desativado: continue manualmente.
form-post-continue = Continuar

## Página inicial (GET /)
landing-lead = O { $product } é o serviço de login deste site: os aplicativos mandam você para cá para entrar, e você volta para eles já conectado.
landing-account = Gerenciar sua conta
landing-fresh-title = Próximos passos para o administrador
landing-fresh-body = Ainda não há nenhum aplicativo cadastrado. No servidor, adicione um usuário e um aplicativo com estes comandos e depois siga o passo a passo do README:
landing-health = O servidor está funcionando.

# Second factor (TOTP or a recovery code) after the password.
otp-title = Verificação em duas etapas
otp-lead = Digite o código de 6 dígitos do seu aplicativo autenticador para continuar em { $app }.
otp-code = Código
otp-hint = Perdeu o dispositivo? Digite um dos seus códigos de recuperação.
otp-submit = Verificar
signin-error-wrong-code = Este código está incorreto ou já foi usado. Aguarde o próximo código no aplicativo e tente novamente.
signin-error-second-factor-missing = Este acesso exige um segundo fator (um aplicativo autenticador) e sua conta não tem nenhum. Peça ao administrador do { $product } para configurar um.

# Invitation links (tessera user invite): set the first password.
invite-title = Configure sua conta
invite-lead = Boas-vindas, { $username }. Escolha uma senha para sua conta do { $product }; você entra assim que ela for definida.
invite-password = Nova senha
invite-password-hint = Pelo menos 8 caracteres; algumas palavras sem relação formam uma senha forte.
invite-confirm = Repita a senha
invite-submit = Definir senha e entrar
invite-error-mismatch = As duas senhas são diferentes. Digite a mesma senha duas vezes.
invite-error-weak = Esta senha é curta demais ou fácil de adivinhar. Escolha uma mais longa, por exemplo algumas palavras sem relação.
invite-gone = Este link de convite expirou ou já foi usado. Peça um novo ao administrador.

# The account page (/account).
account-title = Sua conta
account-signed-out = Você não está conectado. Entre para gerenciar sua conta.
account-profile = Perfil
account-username = Nome de usuário
account-name = Nome
account-email = E-mail
account-picture = Imagem (um endereço https)
account-profile-save = Salvar o perfil
account-second-factor = Verificação em duas etapas
account-totp-on = Um aplicativo autenticador está configurado. Códigos de recuperação restantes: { $count }.
account-totp-off = Não configurado. Com um aplicativo autenticador, uma senha roubada não basta para entrar.
account-totp-add = Configurar um aplicativo autenticador
account-totp-remove = Remover o aplicativo autenticador
account-recovery-regenerate = Criar novos códigos de recuperação
account-sessions = Onde você está conectado
account-session-line = Conectado em { $started }, visto em { $seen }, aplicativos: { $apps }
account-session-current = Este navegador
account-session-end = Sair
account-sessions-end-all = Sair de todos os lugares
account-session-device = { $browser } no { $os }
account-session-client = { $device } · endereço { $address }
account-session-unknown = desconhecido
account-reauth = Sua senha (para confirmar que é você)
account-error-password = A senha está incorreta.
account-error-code = Este código está incorreto. Verifique o horário do dispositivo e digite o código que o aplicativo mostra agora.
account-back = Voltar para sua conta
totp-setup-title = Configurar um aplicativo autenticador
totp-setup-lead = Escaneie este código QR com seu aplicativo autenticador, ou digite a chave nele, e depois informe o código de 6 dígitos que ele mostra.
totp-setup-qr = Código QR para seu aplicativo autenticador
totp-setup-key = Chave
totp-setup-submit = Ativar
recovery-title = Seus códigos de recuperação
recovery-lead = Guarde estes códigos em um lugar seguro: cada um funciona uma vez, no lugar de um código do aplicativo. Eles são mostrados só agora.
account-apps = Aplicativos conectados
account-apps-none = Nenhum aplicativo tem acesso à sua conta.
account-app-line = { $app }: permitido { $scope }; acessos ativos: { $grants }
account-app-revoke = Revogar acesso
account-password = Senha
account-password-current = Senha atual
account-password-submit = Alterar senha
account-sign-in-code-hint = Somente se você configurou a verificação em duas etapas: o código do aplicativo ou um código de recuperação.

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = Você não tem acesso a este aplicativo
no-access-lead = Sua conta { $user } não tem permissão para usar { $app }.
no-access-todo = Se você acha que deveria ter acesso, peça ao administrador para adicioná-lo ao grupo certo.
no-access-back = Voltar para { $app }

device-title = Conectar um dispositivo
device-lead = Digite o código exibido no seu dispositivo (uma TV, um console, uma ferramenta de linha de comando) para conectá-lo à sua conta.
device-lead-confirm = Confira se este é o código exibido no seu dispositivo e continue.
device-code = Código
device-code-hint = Oito letras, como aparecem no dispositivo; o hífen e maiúsculas ou minúsculas não importam.
device-submit = Continuar
device-error-unknown = Este código não é válido. Ele pode ter expirado ou já ter sido usado; verifique o dispositivo e tente novamente.
device-error-throttled = Muitos códigos errados a partir desta rede. Aguarde alguns minutos e tente novamente.
device-approved-title = Dispositivo conectado
device-approved-lead = Você pode fechar esta página e voltar ao seu dispositivo; ele continua sozinho.
device-denied-title = Dispositivo não conectado
device-denied-lead = O dispositivo não recebe acesso. Você pode fechar esta página.

## Passkeys (issue 11)
passkey-or = ou
passkey-sign-in = Entrar com uma chave de acesso
passkey-verify = Usar uma chave de acesso
signin-error-passkey = A chave de acesso não foi aceita. Tente novamente ou use sua senha.
account-passkeys = Chaves de acesso
account-passkeys-none = Nenhuma chave de acesso ainda. Uma chave de acesso faz login com o bloqueio de tela do seu dispositivo, sem senha.
account-passkey-name = Nome
account-passkey-rename = Renomear
account-passkey-remove = Remover
account-passkey-add = Adicionar uma chave de acesso
account-passkey-line = adicionada { $created }, último uso { $used }
account-passkey-line-synced = adicionada { $created }, último uso { $used }, sincronizada entre dispositivos
account-error-passkey = A chave de acesso não foi adicionada. Tente novamente.
account-error-last-credential = Esta é sua única forma de entrar (sem senha e sem outra chave de acesso), então ela permanece. Adicione outra chave de acesso ou defina uma senha primeiro.
account-error-profile = Esse nome ou endereço de imagem não pode ser usado: a imagem deve ser um endereço http ou https.
invite-passkey = Usar uma chave de acesso e entrar
account-reauth-passkey = Confirme que é você com uma chave de acesso
passkey-lead = Confirme com sua chave de acesso para continuar em { $app }.

## The admin pages (/admin)
admin-title = Administração
admin-nav-users = Usuários
admin-nav-groups = Grupos
admin-nav-clients = Aplicativos
admin-nav-keys = Chaves de assinatura
admin-nav-audit = Log de auditoria
admin-signed-in-as = Conectado como { $user }
admin-sign-out = Sair
admin-denied-title = Sem acesso à administração
admin-denied-lead = { $user } não é membro do grupo admins. Um administrador pode adicionar você com este comando:
admin-denied-sign-out = Entrar com outra conta
admin-restart-title = O login não foi concluído
admin-restart-lead = O login demorou demais ou foi iniciado em outro navegador. Comece de novo.
admin-restart-button = Entrar novamente
admin-error-title = Isso não funcionou
admin-back = Voltar
admin-never = Nunca
admin-users-title = Usuários
admin-users-search = Pesquisar
admin-users-search-label = Nome de usuário, e-mail ou nome
admin-users-none = Nenhum usuário corresponde.
admin-field-username = Nome de usuário
admin-field-email = E-mail
admin-field-name = Nome
admin-col-status = Situação
admin-col-last-login = Último login
admin-status-active = Ativo
admin-status-disabled = Desativado
admin-users-create = Criar um usuário
admin-users-create-help = O usuário define a própria senha por um link de convite, criado na página do usuário e mostrado uma única vez.
admin-create = Criar
admin-user-disable = Desativar
admin-user-enable = Ativar
admin-user-invite = Criar um link de convite
admin-user-invite-shown = Link de convite (mostrado só agora; funciona uma vez):
admin-user-sessions-end = Encerrar todas as sessões
admin-user-no-groups = Não pertence a nenhum grupo.
admin-user-add-group = Adicionar ao grupo
admin-add = Adicionar
admin-remove = Remover
admin-groups-title = Grupos
admin-groups-create = Criar um grupo
admin-field-group-name = Nome
admin-field-description = Descrição
admin-group-members = Membros
admin-group-no-members = Nenhum membro ainda.
admin-group-add-member = Adicionar um membro (nome de usuário)
admin-clients-title = Aplicativos
admin-client-new-title = Registrar um aplicativo
admin-field-client-id = ID do cliente
admin-field-client-id-help = Um nome curto que o aplicativo envia como client_id: letras, dígitos, pontos, - e _.
admin-field-client-name = Nome de exibição
admin-field-client-name-help = Mostrado nas páginas de login e de consentimento.
admin-field-client-type = Tipo
admin-field-client-type-help = Confidencial: um aplicativo no servidor que consegue guardar um segredo. Público: um aplicativo de página única ou móvel, que não consegue; ele sempre usa PKCE.
admin-type-confidential = Confidencial (no servidor)
admin-type-public = Público (navegador ou celular)
admin-field-redirect-uris = URIs de redirecionamento
admin-field-redirect-uris-help = Uma por linha. O Tessera só devolve o navegador para elas, comparadas exatamente (https, ou http em localhost).
admin-field-scope = Escopos adicionais
admin-field-scope-help = Escopos de API além de openid, profile e email, separados por espaços; deixe vazio se não tiver certeza.
admin-field-skip-consent = Aplicativo próprio: não pedir consentimento
admin-client-secret-shown = Segredo do cliente (mostrado só agora; o Tessera guarda apenas o hash):
admin-client-issuer = Emissor
admin-client-endpoints = Endpoints
admin-client-snippet = Configuração para uma biblioteca OpenID Connect
admin-client-snippet-help = A maioria das bibliotecas precisa só do emissor: elas leem os endpoints do documento de descoberta.
admin-doctor-title = Doutor de integração
admin-doctor-lead = As solicitações recentes do aplicativo que falharam, cada uma explicada com a correção.
admin-doctor-none = Nenhuma solicitação com falha recentemente.
admin-doctor-fix = Correção:
admin-keys-title = Chaves de assinatura
admin-col-kid = ID da chave
admin-col-state = Estado
admin-col-created = Criada
admin-col-age = Idade
admin-keys-rotate = Rotacionar agora
admin-keys-rotate-help = A próxima chave passa a ser a atual; tokens assinados com a antiga continuam válidos até expirarem.
admin-age-days = { $days ->
        [one] 1 dia
       *[other] { $days } dias
    }
admin-audit-title = Log de auditoria
admin-audit-filter = Filtrar
admin-field-since = De (UTC)
admin-field-until = Até (UTC)
admin-field-user = Usuário (subject)
admin-field-client = Aplicativo (ID do cliente)
admin-field-event = Tipo de evento
admin-col-time = Hora
admin-col-actor = Autor
admin-col-detail = Detalhes
admin-audit-none = Nenhum evento corresponde.
admin-audit-older = Eventos mais antigos
admin-confirm-title = Tem certeza?
admin-cancel = Cancelar
admin-confirm-user-delete = Excluir o usuário { $name }? As sessões dele terminam, os aplicativos em que ele entrou perdem as autorizações e a conta não pode ser restaurada.
admin-confirm-user-mfa-reset = Remover todos os segundos fatores e chaves de acesso de { $name }? Faça isso só depois de confirmar por outro meio quem está pedindo: até cadastrar de novo, a senha sozinha basta para entrar.
admin-confirm-client-delete = Excluir o cliente { $name }? Tudo o que foi emitido para ele para de funcionar na hora, e o aplicativo não consegue mais autenticar ninguém.
admin-confirm-key-revoke = Revogar a chave de assinatura { $name }? Ela sai na hora das chaves publicadas, e nenhum token assinado com ela pode mais ser verificado.
admin-confirm-group-delete = Excluir o grupo { $name }? Os membros saem dele, e os aplicativos que o recebem nos tokens deixam de vê-lo.
admin-confirm-admins-warning = admins é o grupo dos administradores: excluí-lo tira as páginas de administração de todos, inclusive você, até alguém executar `tessera group add admins` e adicionar membros de novo.
admin-user-delete = Excluir o usuário
admin-user-mfa-reset = Redefinir segundos fatores
admin-user-sessions = Sessões
admin-user-no-sessions = Nenhuma sessão aberta.
admin-col-signed-in = Entrada
admin-col-last-seen = Última atividade
admin-col-clients = Aplicativos
admin-col-device = Dispositivo
admin-session-end = Encerrar esta sessão
admin-client-edit = Editar
admin-client-edit-title = Editar o cliente
admin-save = Salvar
admin-client-delete = Excluir o cliente
admin-client-rotate = Renovar o segredo
admin-client-rotate-help = O novo segredo é mostrado uma única vez, na próxima página. O antigo continua funcionando durante a sobreposição escolhida, para reimplantar o aplicativo sem interrupção.
admin-field-overlap = O segredo antigo continua valendo por
admin-overlap-none = Nenhum tempo: para agora
admin-overlap-hour = 1 hora
admin-overlap-day = 1 dia
admin-overlap-week = 7 dias
admin-client-secret-overlap = O segredo antigo funciona até { $until }.
admin-key-revoke = Revogar
admin-group-delete = Excluir o grupo
admin-stale = Alguém alterou isto desde que você abriu o formulário, então nada foi salvo. Abra-o de novo para ver os valores atuais e depois faça sua alteração.
