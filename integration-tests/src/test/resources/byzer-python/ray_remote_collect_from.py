#%env=source /usr/local/Caskroom/miniconda/base/bin/activate dev
#%python
#%input=data1
#%schema=st(field(content,string),field(test,string))


import ray
from pyjava import rayfix
from pyjava.api.mlsql import RayContext,PythonContext


context:PythonContext = context
## 获取ray_context,如果需要使用Ray，那么第二个参数填写Ray地址
## 否则设置为None就好。
ray_context = RayContext.connect(globals(), url="127.0.0.1:10001")
# 从 java 端获取数据，数据格式是 list(dict())
res = []
## 对数据基于Ray进行分布式处理
@ray.remote
@rayfix.last
def foo(servers):
    datas = RayContext.collect_from(servers)
    res = []
    for row in datas:
        new_row = {}
        new_row['content'] = 'hello' + str(row['a']) # content 对应定义的 content 列
        new_row['test'] = str(row['b']) # test 对应定义的 test 列
        res.append(new_row)
    return res


data_servers = ray_context.data_servers()
res =  ray.get(foo.remote(data_servers))
## 构造结果数据返回
context.build_result(res)
