#%python
#%input=command
#%output=output
#%schema=st(field(hello,string))
#%runIn=driver
#%dataMode=model
#%cache=false
#%env=source /opt/miniconda3/bin/activate ray1.8.0

context.build_result([{"hello":"world"}])
