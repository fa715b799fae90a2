using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Site.Web.Admin;

/// <summary>
/// Which client a sign-in attempt counts under (OWASP's "device cookies" against online guessing). A browser the owner
/// signed in with keeps a device cookie for <see cref="Lifetime"/>, and its attempts count under that cookie; every
/// other attempt counts under its client address. Failures from anyone else, at the owner's address or anywhere, so
/// never lock that browser out. The cookie only says this browser signed in before: the password is still needed, and
/// a cookie that fails five times is locked like an address.
/// </summary>
public sealed class AdminDevices(IDataProtectionProvider dataProtection)
{
    public const string CookieName = "__Host-admin-device";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly ITimeLimitedDataProtector protector = dataProtection.CreateProtector("Site.Web.Admin.Device").ToTimeLimitedDataProtector();

    /// <summary>The device cookie's id when the request carries a genuine, unexpired one, or else the client's address.</summary>
    public string ClientKey(HttpContext context)
    {
        var cookie = context.Request.Cookies[AdminAuth.CookieNameFor(context, CookieName)];
        try
        {
            return cookie is null ? AddressKey(context.Connection.RemoteIpAddress) : $"device:{protector.Unprotect(cookie)}";
        }
        catch (CryptographicException)
        {
            return AddressKey(context.Connection.RemoteIpAddress);
        }
    }

    /// <summary>Gives the browser that just signed in a new device cookie.</summary>
    public void Remember(HttpContext context) => context.Response.Cookies.Append(
        AdminAuth.CookieNameFor(context, CookieName),
        protector.Protect(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), Lifetime),
        new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            MaxAge = Lifetime,
            IsEssential = true,
        });

    /// <summary>
    /// The address the load balancer saw (after the forwarded headers). An IPv6 client usually holds a whole /64, so
    /// that is what counts, not each of its 2^64 addresses.
    /// </summary>
    public static string AddressKey(IPAddress? address) => address switch
    {
        null => "address:unknown",
        { IsIPv4MappedToIPv6: true } => $"address:{address.MapToIPv4()}",
        { AddressFamily: AddressFamily.InterNetworkV6 } => $"network:{new IPAddress([.. address.GetAddressBytes()[..8], .. new byte[8]])}/64",
        _ => $"address:{address}",
    };
}
