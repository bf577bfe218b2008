# Tessera 页面，简体中文。

## 所有页面
page-title = { $title } · { $product }

## 登录
login-title = 登录
login-lead = 以继续使用 { $app }
login-username = 用户名
login-password = 密码
login-show-password = 显示密码
login-submit = 登录
login-not-you = 不是你？使用其他账号
signin-error-failed = 用户名或密码不正确。请检查后重试。
signin-error-throttled = 登录失败次数过多。请在 { $seconds } 秒后重试。
signin-error-throttled-minutes = 登录失败次数过多。请在 { $minutes } 分钟后重试。
signin-error-disabled = 此账号已停用。请联系 { $product } 的管理员重新启用。

## 授权
consent-title = 允许访问？
consent-lead = { $app } 希望：
consent-signed-in-as = 当前登录身份：{ $user }。
consent-not-you = 不是你？使用其他账号
consent-allow = 允许
consent-deny = 拒绝
consent-raw-scopes = 应用请求的原始内容（供开发者参考）
consent-change-later = 你以后可以在账号页面更改这一选择。
consent-app-site = 关于 { $app }
consent-policy = 隐私政策
consent-terms = 服务条款
consent-logo = { $app } 的标志
scope-openid = 知道你是谁（一个固定不变的标识，每次登录都相同）
scope-profile = 查看你的姓名、用户名及其他个人资料
scope-email = 查看你的电子邮件地址
scope-address = 查看你的邮寄地址
scope-phone = 查看你的电话号码
scope-offline_access = 在你从这里退出登录后仍保持与你账号的连接
scope-groups = 查看你所属的群组名称
scope-api = 代表你使用其他服务（{ $count } 项权限）

## 错误页面
error-title-refused = 无法完成此登录请求
error-what-refused = 将你带到这里的应用发出了本服务器无法接受的请求。这不是你的操作问题。
error-title-expired = 此页面已过期
error-what-expired = 登录耗时过长，或已在另一个标签页中完成。
error-title-server = 我们这边出了问题
error-what-server = 服务器无法完成你的请求。
error-title-unavailable = 暂时无法使用
error-what-unavailable = 服务目前无法响应。
error-todo = 你可以这样做
error-todo-back = 返回应用，重新开始。
error-todo-retry = 请稍等片刻，然后重试。
error-todo-contact = 如果问题持续出现，请将下方的错误编号告知管理员。
error-id = 错误编号
error-details = 技术细节（供应用开发者参考）
error-code = 错误代码
error-description = 描述

## 退出登录
logout-title = 退出登录？
logout-asks = { $app } 请求让你退出 { $product }。
logout-about = 你即将退出 { $product }。
logout-signed-in-as = 当前登录身份：{ $user }。你通过 { $product } 登录的应用都会收到通知。
logout-submit = 退出登录
logged-out-title = 你已退出登录
logged-out-lead = 现在可以关闭此页面。
logged-out-back = 返回 { $app }

## 返回应用（表单提交）
form-post-title = 正在返回应用
form-post-heading = 正在返回应用…
form-post-noscript = JavaScript 已关闭：请手动继续。
form-post-continue = 继续

## 首页（GET /）
landing-lead = { $product } 是本站的登录服务：应用会把你带到这里登录，登录后你会回到应用中。
landing-account = 管理你的账号
landing-fresh-title = 管理员的下一步
landing-fresh-body = 尚未注册任何应用。请在服务器上用以下命令添加一个用户和一个应用，然后按照 README 中的步骤操作：
landing-health = 服务器正在运行。

# Second factor (TOTP or a recovery code) after the password.
otp-title = 两步验证
otp-lead = 请输入身份验证器应用中的 6 位验证码，以继续前往 { $app }。
otp-code = 验证码
otp-hint = 设备丢失？请改为输入一个恢复码。
otp-submit = 验证
signin-error-wrong-code = 此验证码不正确或已被使用。请等待应用中的下一个验证码后重试。
signin-error-second-factor-missing = 此次登录需要第二重验证（身份验证器应用），但你的账户尚未设置。请联系 { $product } 的管理员进行设置。

# Invitation links (tessera user invite): set the first password.
invite-title = 设置你的账户
invite-lead = 欢迎，{ $username }。请为你的 { $product } 账户设置密码；设置完成后即自动登录。
invite-password = 新密码
invite-password-hint = 至少 8 个字符；几个互不相关的词语可以组成强密码。
invite-confirm = 再次输入密码
invite-submit = 设置密码并登录
invite-error-mismatch = 两次输入的密码不一致。请输入两次相同的密码。
invite-error-weak = 此密码太短或太容易被猜到。请选择更长的密码，例如几个互不相关的词语。
invite-gone = 此邀请链接已过期或已被使用。请向管理员索取新的链接。

# The account page (/account).
account-title = 你的账户
account-signed-out = 你尚未登录。请登录以管理你的账户。
account-profile = 个人资料
account-username = 用户名
account-name = 姓名
account-email = 电子邮件
account-second-factor = 两步验证
account-totp-on = 已设置身份验证器应用。剩余恢复码：{ $count }。
account-totp-off = 尚未设置。使用身份验证器应用后，仅凭被盗的密码无法登录。
account-totp-add = 设置身份验证器应用
account-totp-remove = 移除身份验证器应用
account-recovery-regenerate = 生成新的恢复码
account-sessions = 你的登录位置
account-session-line = 登录于 { $started }，最近活动 { $seen }，应用：{ $apps }
account-session-current = 此浏览器
account-session-end = 退出登录
account-sessions-end-all = 在所有位置退出登录
account-session-device = { $os } 上的 { $browser }
account-session-client = { $device } · 地址 { $address }
account-session-unknown = 未知
account-reauth = 你的密码（用于确认是你本人）
account-error-password = 密码不正确。
account-error-code = 此验证码不正确。请检查设备时间，并输入应用当前显示的验证码。
account-back = 返回你的账户
totp-setup-title = 设置身份验证器应用
totp-setup-lead = 用身份验证器应用扫描此二维码，或在应用中输入密钥，然后输入应用显示的 6 位验证码。
totp-setup-qr = 身份验证器应用的二维码
totp-setup-key = 密钥
totp-setup-submit = 启用
recovery-title = 你的恢复码
recovery-lead = 请将这些恢复码保存在安全的地方：每个恢复码只能使用一次，可代替应用中的验证码。它们只会显示这一次。
account-apps = 已关联的应用
account-apps-none = 没有应用可以访问你的账户。
account-app-line = { $app }：已允许 { $scope }；有效登录：{ $grants }
account-app-revoke = 撤销访问权限
account-password = 密码
account-password-current = 当前密码
account-password-submit = 更改密码
account-sign-in-code-hint = 仅当你已设置两步验证时填写：应用中的验证码，或一个恢复码。

# Issue 12: a client restricted to groups (--allowed-groups)
no-access-title = 你无权访问此应用
no-access-lead = 你的账户 { $user } 无权使用 { $app }。
no-access-todo = 如果你认为应该有访问权限，请让管理员把你加入相应的群组。
no-access-back = 返回 { $app }

device-title = 连接设备
device-lead = 输入设备（电视、游戏机、命令行工具）上显示的代码，将其连接到你的账户。
device-lead-confirm = 请确认这是设备上显示的代码，然后继续。
device-code = 代码
device-code-hint = 设备上显示的八个字母；连字符和大小写均不影响。
device-submit = 继续
device-error-unknown = 此代码无效。它可能已过期或已被使用；请检查设备后重试。
device-error-throttled = 来自此网络的错误代码过多。请等待几分钟后重试。
device-approved-title = 设备已连接
device-approved-lead = 你可以关闭此页面并返回设备；设备会自行继续。
device-denied-title = 设备未连接
device-denied-lead = 该设备未获得访问权限。你可以关闭此页面。

## Passkeys (issue 11)
passkey-or = 或
passkey-sign-in = 使用通行密钥登录
passkey-verify = 使用通行密钥
signin-error-passkey = 通行密钥未被接受。请重试，或使用密码。
account-passkeys = 通行密钥
account-passkeys-none = 还没有通行密钥。通行密钥让您用设备的屏幕锁登录，无需密码。
account-passkey-name = 名称
account-passkey-rename = 重命名
account-passkey-remove = 移除
account-passkey-add = 添加通行密钥
account-passkey-line = 添加于 { $created }，上次使用 { $used }
account-passkey-line-synced = 添加于 { $created }，上次使用 { $used }，已在设备间同步
account-error-passkey = 未添加通行密钥。请重试。
account-error-last-credential = 这是您唯一的登录方式（没有密码，也没有其他通行密钥），因此保留。请先添加另一个通行密钥或设置密码。
invite-passkey = 改用通行密钥并登录
account-reauth-passkey = 使用通行密钥确认身份
passkey-lead = 请使用通行密钥确认以继续访问 { $app }。

## The admin pages (/admin)
admin-title = 管理
admin-nav-users = 用户
admin-nav-groups = 用户组
admin-nav-clients = 应用
admin-nav-keys = 签名密钥
admin-nav-audit = 审计日志
admin-signed-in-as = 已登录为 { $user }
admin-sign-out = 退出登录
admin-denied-title = 无权访问管理页面
admin-denied-lead = { $user } 不是 admins 组的成员。管理员可以用以下命令添加你:
admin-denied-sign-out = 以其他账号登录
admin-restart-title = 登录未完成
admin-restart-lead = 登录耗时过长,或是在另一个浏览器中开始的。请重新开始。
admin-restart-button = 重新登录
admin-error-title = 操作未成功
admin-back = 返回
admin-never = 从未
admin-users-title = 用户
admin-users-search = 搜索
admin-users-search-label = 用户名、邮箱或姓名
admin-users-none = 没有匹配的用户。
admin-field-username = 用户名
admin-field-email = 邮箱
admin-field-name = 姓名
admin-col-status = 状态
admin-col-last-login = 最近登录
admin-status-active = 已启用
admin-status-disabled = 已停用
admin-users-create = 创建用户
admin-users-create-help = 用户通过邀请链接自行设置密码;链接在用户页面生成,只显示一次。
admin-create = 创建
admin-user-disable = 停用
admin-user-enable = 启用
admin-user-invite = 生成邀请链接
admin-user-invite-shown = 邀请链接(仅此时显示;只能使用一次):
admin-user-sessions-end = 结束所有会话
admin-user-no-groups = 不属于任何用户组。
admin-user-add-group = 加入用户组
admin-add = 添加
admin-remove = 移除
admin-groups-title = 用户组
admin-groups-create = 创建用户组
admin-field-group-name = 名称
admin-field-description = 描述
admin-group-members = 成员
admin-group-no-members = 还没有成员。
admin-group-add-member = 添加成员(用户名)
admin-clients-title = 应用
admin-client-new-title = 注册应用
admin-field-client-id = 客户端 ID
admin-field-client-id-help = 应用作为 client_id 发送的简短名称:字母、数字、点、- 和 _。
admin-field-client-name = 显示名称
admin-field-client-name-help = 显示在登录和授权同意页面上。
admin-field-client-type = 类型
admin-field-client-type-help = 机密:能保管密钥的服务端应用。公开:单页或移动应用,无法保管密钥,始终使用 PKCE。
admin-type-confidential = 机密(服务端)
admin-type-public = 公开(浏览器或移动端)
admin-field-redirect-uris = 重定向 URI
admin-field-redirect-uris-help = 每行一个。Tessera 只会把浏览器送回这些地址,按完全一致比较(https,或 localhost 上的 http)。
admin-field-scope = 额外的权限范围
admin-field-scope-help = openid、profile 和 email 之外的 API 权限范围,用空格分隔;不确定时请留空。
admin-field-skip-consent = 自有应用:不向用户请求授权同意
admin-client-secret-shown = 客户端密钥(仅此时显示;Tessera 只保存其哈希):
admin-client-issuer = 签发者
admin-client-endpoints = 端点
admin-client-snippet = OpenID Connect 库的配置
admin-client-snippet-help = 大多数库只需要签发者:它们会从其发现文档中读取端点。
admin-doctor-title = 集成诊断
admin-doctor-lead = 该应用最近失败的请求,每条都附有原因和修复方法。
admin-doctor-none = 最近没有失败的请求。
admin-doctor-fix = 修复方法:
admin-keys-title = 签名密钥
admin-col-kid = 密钥 ID
admin-col-state = 状态
admin-col-created = 创建时间
admin-col-age = 已使用
admin-keys-rotate = 立即轮换
admin-keys-rotate-help = 下一个密钥将成为当前密钥;用旧密钥签名的令牌在过期前仍然有效。
admin-age-days = { $days } 天
admin-audit-title = 审计日志
admin-audit-filter = 筛选
admin-field-since = 起始(UTC)
admin-field-until = 截止(UTC)
admin-field-user = 用户(subject)
admin-field-client = 应用(客户端 ID)
admin-field-event = 事件类型
admin-col-time = 时间
admin-col-actor = 执行者
admin-col-detail = 详情
admin-audit-none = 没有匹配的事件。
admin-audit-older = 更早的事件
