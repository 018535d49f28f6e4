using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace OtpClients.Tests.Infrastructure;

/// <summary>
/// Writes the public surface of an assembly (types and member signatures, with nullability) as sorted text,
/// so that a checked-in baseline shows every API change as a diff.
/// </summary>
public static class PublicApiWriter
{
    private const BindingFlags Members = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Write(Assembly assembly)
    {
        var builder = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            builder.Append(TypeHeader(type)).Append('\n');
            foreach (var line in MemberLines(type).Order(StringComparer.Ordinal))
            {
                builder.Append("  ").Append(line).Append('\n');
            }
        }

        return builder.ToString();
    }

    private static string TypeHeader(Type type)
    {
        var kind = type switch
        {
            { IsInterface: true } => "interface",
            { IsEnum: true } => "enum",
            { IsValueType: true } => IsRecord(type) ? "record struct" : "struct",
            _ when typeof(Delegate).IsAssignableFrom(type) => "delegate",
            _ => IsRecord(type) ? "record" : "class",
        };
        var modifiers = type switch
        {
            { IsInterface: true } or { IsEnum: true } or { IsValueType: true } => string.Empty,
            { IsAbstract: true, IsSealed: true } => "static ",
            { IsAbstract: true } => "abstract ",
            { IsSealed: true } => "sealed ",
            _ => string.Empty,
        };
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum))
        {
            bases.Add(Name(baseType));
        }

        bases.AddRange(type.IsEnum ? [] : type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        var attributes = type.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(ObsoleteAttribute) || a.AttributeType == typeof(FlagsAttribute))
            .Select(a => "[" + a.AttributeType.Name.Replace("Attribute", string.Empty, StringComparison.Ordinal) + "] ");
        return $"{string.Concat(attributes)}public {modifiers}{kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty)}";
    }

    private static IEnumerable<string> MemberLines(Type type)
    {
        var nullability = new NullabilityInfoContext();
        if (type.IsEnum)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                yield return $"{field.Name} = {Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}";
            }

            yield break;
        }

        foreach (var member in type.GetMembers(Members))
        {
            if (member.Name.Contains('<', StringComparison.Ordinal) || member.Name.Contains('$', StringComparison.Ordinal) || member.IsDefined(typeof(CompilerGeneratedAttribute)) && member is not MethodBase)
            {
                continue;
            }

            switch (member)
            {
                case ConstructorInfo ctor when IsVisible(ctor):
                    yield return $"{Access(ctor)}{(ctor.IsStatic ? "static " : string.Empty)}.ctor({Parameters(ctor, nullability)})";
                    break;
                case MethodInfo method when IsVisible(method) && !method.IsSpecialName || method.IsSpecialName && method.Name.StartsWith("op_", StringComparison.Ordinal) && method.IsPublic:
                    yield return $"{Access(method)}{MethodModifiers(method, type)}{TypeName(nullability.Create(method.ReturnParameter))} {method.Name}{GenericArguments(method)}({Parameters(method, nullability)})";
                    break;
                case PropertyInfo property:
                    var getter = property.GetMethod is { } g && IsVisible(g) ? g : null;
                    var setter = property.SetMethod is { } s && IsVisible(s) ? s : null;
                    if (getter is null && setter is null)
                    {
                        break;
                    }

                    var accessor = getter ?? setter!;
                    var init = setter?.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)) == true ? "init; " : "set; ";
                    var indexer = property.GetIndexParameters() is { Length: > 0 } ip ? $"this[{string.Join(", ", ip.Select(p => TypeName(nullability.Create(p)) + " " + p.Name))}]" : property.Name;
                    yield return $"{Access(accessor)}{MethodModifiers(accessor, type)}{TypeName(nullability.Create(property))} {indexer} {{ {(getter is not null ? "get; " : string.Empty)}{(setter is not null ? init : string.Empty)}}}";
                    break;
                case FieldInfo field when (field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly) && !field.IsSpecialName:
                    var constant = field.IsLiteral ? $"const {TypeName(nullability.Create(field))} {field.Name} = {FormatConstant(field.GetRawConstantValue())}" : $"{(field.IsStatic ? "static " : string.Empty)}{(field.IsInitOnly ? "readonly " : string.Empty)}{TypeName(nullability.Create(field))} {field.Name}";
                    yield return $"{(field.IsPublic ? "public " : "protected ")}{constant}";
                    break;
                case EventInfo @event when @event.AddMethod is { } add && IsVisible(add):
                    yield return $"{Access(add)}event {Name(@event.EventHandlerType!)} {@event.Name}";
                    break;
                case Type nested when nested.IsNestedPublic:
                    yield return $"nested {Name(nested)}";
                    break;
            }
        }
    }

    private static bool IsVisible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static string Access(MethodBase method) => method.IsPublic ? "public " : "protected ";

    private static string MethodModifiers(MethodInfo method, Type type)
    {
        if (method.IsStatic)
        {
            return "static ";
        }

        if (type.IsInterface)
        {
            return string.Empty;
        }

        if (method.IsAbstract)
        {
            return "abstract ";
        }

        if (method.IsVirtual && !method.IsFinal)
        {
            return method.GetBaseDefinition() == method ? "virtual " : "override ";
        }

        return method.IsVirtual && method.GetBaseDefinition() != method ? "sealed override " : string.Empty;
    }

    private static string GenericArguments(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability) =>
        string.Join(", ", method.GetParameters().Select(p =>
        {
            var prefix = p.IsOut ? "out " : p.ParameterType.IsByRef ? (p.IsIn ? "in " : "ref ") : p.IsDefined(typeof(ParamArrayAttribute)) ? "params " : string.Empty;
            var text = $"{prefix}{TypeName(nullability.Create(p))} {p.Name}";
            var defaultValue = p.RawDefaultValue is null && p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is null ? "default" : FormatConstant(p.RawDefaultValue);
            return p.HasDefaultValue ? $"{text} = {defaultValue}" : text;
        }));

    private static string FormatConstant(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    private static string TypeName(NullabilityInfo info)
    {
        var type = info.Type;
        if (type.IsByRef)
        {
            type = type.GetElementType()!;
        }

        string name;
        if (type.IsArray && info.ElementType is { } element)
        {
            name = TypeName(element) + "[]";
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() != typeof(Nullable<>) && info.GenericTypeArguments.Length > 0)
        {
            var definition = Name(type.GetGenericTypeDefinition());
            name = definition[..definition.IndexOf('<', StringComparison.Ordinal)] + "<" + string.Join(", ", info.GenericTypeArguments.Select(TypeName)) + ">";
        }
        else
        {
            name = Name(type);
        }

        var nullable = !type.IsValueType && (info.ReadState == NullabilityState.Nullable || info.WriteState == NullabilityState.Nullable);
        return nullable ? name + "?" : name;
    }

    private static string Name(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        var name = type.IsNested ? Name(type.DeclaringType!) + "." + type.Name : (type.Namespace is null ? type.Name : type.Namespace + "." + type.Name);
        if (!type.IsGenericType)
        {
            return name;
        }

        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        return name + "<" + string.Join(", ", type.GetGenericArguments().Select(Name)) + ">";
    }

    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null || type.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null;
}
